using LiteDB;
using LiteDB.Engine;

namespace XmppGroupChat.Archive;

/// <summary>
/// LiteDB's side of group commit (<see cref="GroupCommitQueue"/>): one explicit transaction per batch
/// on the queue's writer thread (LiteDB binds a transaction to its thread), committed to LiteDB's
/// log file before anyone is acknowledged; with <see cref="LiteDbArchiveOptions.SurvivePowerLoss"/>
/// the log file is also fsync'ed.
/// <para>
/// LiteDB has no savepoints, so an operation cannot be undone alone. Instead every operation checks
/// first and changes after (<see cref="LiteDbRoomDocuments"/>, <see cref="LiteDbRelayDocuments"/>): an
/// ordinary exception from it (a taken nick, a missing room) means nothing was changed, and it fails
/// alone. A <see cref="LiteException"/> or an I/O error may come half-way through a change, so it fails the whole batch.
/// </para>
/// </summary>
internal sealed class LiteDbBatchWriter : IBatchWriter, IDisposable
{
    public const string Messages = "messages";

    private readonly LiteEngine _engine;
    private readonly LiteDbNames _names;
    private readonly string _logPath;
    private readonly bool _fsync;
    private FileStream? _logFile;

    // Writer-side caches; numbers made in a batch are published to _names only after its commit.
    private readonly Dictionary<string, int> _archives = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _senders = new(StringComparer.Ordinal);
    private readonly List<(string Name, int Number)> _newArchives = [];
    private readonly List<(string Jid, int Number)> _newSenders = [];
    // Per archive number: the next position and the last stamp, read from the file on first use.
    private readonly Dictionary<int, (long NextPosition, long LastStamp)> _tails = [];
    private readonly Dictionary<(int Archive, int Sender), long> _nextSenderPosition = [];
    private readonly List<BsonDocument> _pending = [];
    private int _nextArchiveNumber;
    private int _nextSenderNumber;

    public LiteDbBatchWriter(LiteEngine engine, LiteDbNames names, string logPath, bool survivePowerLoss)
    {
        _engine = engine;
        _names = names;
        _logPath = logPath;
        _fsync = survivePowerLoss;
        _nextArchiveNumber = LastId(LiteDbNames.Archives) + 1;
        _nextSenderNumber = LastId(LiteDbNames.Senders) + 1;
    }

    public ILiteEngine Engine => _engine;

    public void WriteBatch(IReadOnlyList<WriteItem> batch)
    {
        _engine.BeginTrans();
        try
        {
            foreach (var item in batch)
            {
                if (item is AppendItem append)
                {
                    Append(append);
                    continue;
                }
                Flush();
                var operation = (OperationItem)item;
                try
                {
                    operation.Run();
                }
                catch (Exception e) when (e is not LiteException and not IOException)
                {
                    operation.Fail(e); // it changed nothing (see the class comment)
                }
            }
            Flush();
            _engine.Commit();
        }
        catch
        {
            _engine.Rollback();
            Forget();
            throw;
        }
        Durable();
        foreach (var (name, number) in _newArchives) _names.PublishArchive(name, number);
        foreach (var (jid, number) in _newSenders) _names.PublishSender(jid, number);
        _newArchives.Clear();
        _newSenders.Clear();
        // Bounded so a long-lived service's caches do not grow without end; cleared only between
        // batches, so no number made in a batch is looked up in the file before its commit.
        if (_senders.Count > 100_000) _senders.Clear();
        if (_nextSenderPosition.Count > 100_000) _nextSenderPosition.Clear();
    }

    private void Append(AppendItem item)
    {
        var archive = ArchiveNumber(item.Archive);
        // Stamps never decrease along an archive's positions, even if the clock steps back: a time
        // range is then a position range (LiteDbMessagePager).
        var stamp = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Tail(archive).LastStamp);
        item.Stamp = stamp;
        _pending.Add(Document(archive, item.Id, stamp, item.Sender, item.Nick, item.Stanza, retracted: false));
    }

    private BsonDocument Document(int archive, string id, long stamp, string sender, string? nick, byte[] stanza, bool retracted)
    {
        var position = Tail(archive).NextPosition;
        if (position > LiteDbKeys.MaxPosition)
            throw new InvalidOperationException("The archive holds the most messages a LiteDB key can number.");
        _tails[archive] = (position + 1, stamp);
        var senderNumber = SenderNumber(sender);
        var senderPosition = _nextSenderPosition.TryGetValue((archive, senderNumber), out var nextOfSender)
            ? nextOfSender
            : LastSenderPosition(archive, senderNumber) + 1;
        _nextSenderPosition[(archive, senderNumber)] = senderPosition + 1;

        var document = new BsonDocument
        {
            ["_id"] = LiteDbKeys.Message(archive, position),
            ["i"] = id,
            ["t"] = stamp,
            ["s"] = sender,
            ["z"] = stanza,
            ["w"] = LiteDbKeys.Sender(archive, senderNumber, position),
            // The message's dense position among its sender's messages in this archive: a 'with'
            // count is a subtraction of two of these, not a scan (LiteDbMessagePager).
            ["q"] = senderPosition,
        };
        if (nick is not null) document["n"] = nick;
        if (retracted) document["r"] = true;
        return document;
    }

    /// <summary>Writes the appends gathered so far, so an operation that follows them in the batch sees them.</summary>
    private void Flush()
    {
        if (_pending.Count == 0)
            return;
        _engine.Insert(Messages, _pending, BsonAutoId.Int64);
        _pending.Clear();
    }

    private void Durable()
    {
        if (!_fsync)
            return;
        // fsync works on the file, whichever descriptor wrote it: this one only flushes LiteDB's.
        if (_logFile is null)
        {
            if (!File.Exists(_logPath))
                return;
            _logFile = new FileStream(_logPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        _logFile.Flush(flushToDisk: true);
    }

    /// <summary>After a rollback: what the caches learnt in the batch may be void.</summary>
    private void Forget()
    {
        _pending.Clear();
        foreach (var (name, _) in _newArchives) _archives.Remove(name);
        foreach (var (jid, _) in _newSenders) _senders.Remove(jid);
        _newArchives.Clear();
        _newSenders.Clear();
        _nextArchiveNumber = LastId(LiteDbNames.Archives) + 1;
        _nextSenderNumber = LastId(LiteDbNames.Senders) + 1;
        _tails.Clear();
        _nextSenderPosition.Clear();
    }

    // ---- for operations running on the writer thread ----

    /// <summary>Replaces a message's stanza by its tombstone; false when the archive has no such id.</summary>
    public bool Retract(string archive, string id)
    {
        if (KnownArchive(archive) is not { } number)
            return false;
        var document = LiteDbMessagePager.FindById(_engine, id);
        if (document is null || LiteDbKeys.ArchiveOf(document["_id"].AsInt64) != number)
            return false;
        if (document["r"].IsBoolean && document["r"].AsBoolean)
            return true; // already a tombstone: keep its first retraction stamp
        var tombstone = StoredStanza.Tombstone(StoredStanza.Decode(document["z"].AsBinary), DateTimeOffset.UtcNow);
        document["z"] = StoredStanza.Encode(tombstone);
        document["r"] = true;
        _engine.Update(Messages, [document]);
        return true;
    }

    /// <summary>Deletes every message of the archive; returns how many. Its positions restart at 0.</summary>
    public int DeleteArchive(string archive)
    {
        if (KnownArchive(archive) is not { } number)
            return 0;
        var deleted = _engine.DeleteMany(Messages, BsonExpression.Create("_id BETWEEN @0 AND @1",
            LiteDbKeys.Message(number, 0), LiteDbKeys.Message(number, LiteDbKeys.MaxPosition)));
        _tails.Remove(number);
        foreach (var key in _nextSenderPosition.Keys.Where(k => k.Archive == number).ToList())
            _nextSenderPosition.Remove(key);
        return deleted;
    }

    /// <summary>Stores already-archived messages as they are at the end of the archive (see <see cref="IArchiveTransfer"/>).</summary>
    public void Import(string archive, long firstPosition, IReadOnlyList<ArchivedMessage> messages)
    {
        var number = ArchiveNumber(archive);
        var next = Tail(number).NextPosition;
        if (next != firstPosition)
            throw new InvalidOperationException($"The archive {archive} holds {next} messages here, not {firstPosition}: it changed during the copy.");
        foreach (var message in messages)
        {
            // The source keeps its stamps in order; a stamp before the archive's last is raised to it.
            var stamp = Math.Max(message.Stamp.ToUnixTimeMilliseconds(), Tail(number).LastStamp);
            _pending.Add(Document(number, message.Id, stamp, message.SenderBareJid, message.SenderNick,
                StoredStanza.Encode(message.Stanza), message.Retracted));
        }
        Flush();
    }

    // ---- numbers and positions ----

    /// <summary>
    /// The archive's number if it has one, without making one. The writer's own numbers first: asking
    /// the file about a name numbered in this uncommitted batch would publish that number to readers early.
    /// </summary>
    private int? KnownArchive(string archive) => _archives.TryGetValue(archive, out var number) ? number : _names.Archive(archive);

    private int ArchiveNumber(string archive)
    {
        if (_archives.TryGetValue(archive, out var number))
            return number;
        if (_names.Archive(archive) is { } known)
        {
            _archives[archive] = known;
            return known;
        }
        if (_nextArchiveNumber > LiteDbKeys.MaxArchiveNumber)
            throw new InvalidOperationException("The file holds the most archives a LiteDB key can number.");
        number = _nextArchiveNumber++;
        _engine.Insert(LiteDbNames.Archives, [new BsonDocument { ["_id"] = number, ["name"] = LiteDbText.Key(archive), ["n"] = archive }], BsonAutoId.Int32);
        _archives[archive] = number;
        _newArchives.Add((archive, number));
        return number;
    }

    private int SenderNumber(string jid)
    {
        if (_senders.TryGetValue(jid, out var number))
            return number;
        if (_names.Sender(jid) is { } known)
        {
            _senders[jid] = known;
            return known;
        }
        number = _nextSenderNumber++;
        _engine.Insert(LiteDbNames.Senders, [new BsonDocument { ["_id"] = number, ["name"] = LiteDbText.Key(jid), ["n"] = jid }], BsonAutoId.Int32);
        _senders[jid] = number;
        _newSenders.Add((jid, number));
        return number;
    }

    private (long NextPosition, long LastStamp) Tail(int archive)
    {
        if (_tails.TryGetValue(archive, out var tail))
            return tail;
        using var reader = _engine.Query(Messages, new Query
        {
            Where = { BsonExpression.Create("_id BETWEEN @0 AND @1", LiteDbKeys.Message(archive, 0), LiteDbKeys.Message(archive, LiteDbKeys.MaxPosition)) },
            OrderBy = BsonExpression.Create("_id"),
            Order = Query.Descending,
            Limit = 1,
            Select = BsonExpression.Create("{ _id, t }"),
        });
        tail = reader.Read() ? (LiteDbKeys.PositionOf(reader.Current["_id"].AsInt64) + 1, reader.Current["t"].AsInt64) : (0, 0);
        _tails[archive] = tail;
        return tail;
    }

    private long LastSenderPosition(int archive, int sender)
    {
        using var reader = _engine.Query(Messages, new Query
        {
            Where = { BsonExpression.Create("w BETWEEN @0 AND @1", LiteDbKeys.Sender(archive, sender, 0), LiteDbKeys.Sender(archive, sender, LiteDbKeys.MaxPosition)) },
            OrderBy = BsonExpression.Create("w"),
            Order = Query.Descending,
            Limit = 1,
        });
        return reader.Read() ? reader.Current["q"].AsInt64 : -1;
    }

    private int LastId(string collection)
    {
        using var reader = _engine.Query(collection, new Query { OrderBy = BsonExpression.Create("_id"), Order = Query.Descending, Limit = 1, Select = BsonExpression.Create("{ _id }") });
        return reader.Read() ? reader.Current["_id"].AsInt32 : 0;
    }

    public void Dispose() => _logFile?.Dispose();
}
