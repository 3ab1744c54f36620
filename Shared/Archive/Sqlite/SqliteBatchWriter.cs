using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace XmppGroupChat.Archive;

/// <summary>
/// SQLite's side of group commit (<see cref="GroupCommitQueue"/>): one connection, one IMMEDIATE
/// transaction per batch, each operation under its own savepoint. One writer means no SQLITE_BUSY
/// between our own writers. Everything here runs on the queue's writer thread.
/// </summary>
internal sealed class SqliteBatchWriter : IBatchWriter
{
    private const string InsertSql =
        "INSERT INTO messages (archive, id, pos, stamp, sender, nick, stanza, retracted) " +
        "VALUES ($archive, $id, $pos, $stamp, $sender, $nick, $stanza, 0)";

    private readonly SqliteConnection _connection;
    private readonly string _path;
    private readonly ILogger _logger;

    private readonly SqliteCommand _insert;
    private readonly SqliteParameter _pArchive, _pId, _pPos, _pStamp, _pSender, _pNick, _pStanza;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    // Next position per archive, valid for this connection's view of the file (see CheckForeignChanges).
    private readonly Dictionary<string, long> _nextPosition = new(StringComparer.Ordinal);
    private long _lastStamp;
    private long _dataVersion;
    private SqliteTransaction? _transaction;

    public SqliteBatchWriter(SqliteConnection connection, string path, ILogger logger)
    {
        _connection = connection;
        _path = path;
        _logger = logger;

        _insert = connection.CreateCommand();
        _insert.CommandText = InsertSql;
        _pArchive = _insert.Parameters.Add("$archive", SqliteType.Text);
        _pId = _insert.Parameters.Add("$id", SqliteType.Text);
        _pPos = _insert.Parameters.Add("$pos", SqliteType.Integer);
        _pStamp = _insert.Parameters.Add("$stamp", SqliteType.Integer);
        _pSender = _insert.Parameters.Add("$sender", SqliteType.Text);
        _pNick = _insert.Parameters.Add("$nick", SqliteType.Text);
        _pStanza = _insert.Parameters.Add("$stanza", SqliteType.Blob);
        _insert.Prepare();

        _dataVersion = ReadDataVersion();
        _lastStamp = ReadLastStamp();
    }

    /// <summary>After the queue stopped: releases the statements (the connection belongs to the archive).</summary>
    public void DisposeCommands()
    {
        _insert.Dispose();
        foreach (var command in _commands.Values)
            command.Dispose();
        _commands.Clear();
    }

    // ---- for operations running on the writer thread ----

    /// <summary>
    /// A prepared command for <paramref name="sql"/>, kept for the writer's lifetime and bound to the
    /// current transaction. <paramref name="addParameters"/> runs only when it is first created.
    /// </summary>
    public SqliteCommand Command(string sql, Action<SqliteParameterCollection> addParameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            addParameters(command.Parameters);
            command.Prepare();
            _commands.Add(sql, command);
        }
        command.Transaction = _transaction;
        return command;
    }

    /// <summary>
    /// The cached statement for <paramref name="sql"/>, its parameters declared (on first use) and
    /// bound from one list of name, type and value (null binds NULL). For the rarer writes; the
    /// message append binds its cached command by hand, so it allocates nothing per message.
    /// </summary>
    public SqliteCommand Bind(string sql, params (string Name, SqliteType Type, object? Value)[] parameters)
    {
        var command = Command(sql, p =>
        {
            foreach (var (name, type, _) in parameters) p.Add(name, type);
        });
        for (var i = 0; i < parameters.Length; i++) command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
        return command;
    }

    /// <summary>An archive's rows were deleted: its positions start again from the table.</summary>
    public void ForgetArchive(string archive) => _nextPosition.Remove(archive);

    /// <summary>
    /// Inserts already-archived messages (a copy from another archive: ids, stamps and tombstones
    /// kept) at the end of <paramref name="archive"/>, which must hold exactly <paramref name="firstPosition"/> messages.
    /// </summary>
    public void Import(string archive, long firstPosition, IReadOnlyList<ArchivedMessage> messages)
    {
        var next = NextPosition(archive);
        if (next != firstPosition)
            throw new InvalidOperationException($"The archive {archive} holds {next} messages here, not {firstPosition}: it changed during the copy.");
        var insert = Command("INSERT INTO messages (archive, id, pos, stamp, sender, nick, stanza, retracted) " +
                             "VALUES ($archive, $id, $pos, $stamp, $sender, $nick, $stanza, $retracted)", p =>
        {
            p.Add("$archive", SqliteType.Text);
            p.Add("$id", SqliteType.Text);
            p.Add("$pos", SqliteType.Integer);
            p.Add("$stamp", SqliteType.Integer);
            p.Add("$sender", SqliteType.Text);
            p.Add("$nick", SqliteType.Text);
            p.Add("$stanza", SqliteType.Blob);
            p.Add("$retracted", SqliteType.Integer);
        });
        var previous = long.MinValue;
        foreach (var message in messages)
        {
            // Within an archive, stamps must not decrease along seq (see SqliteMessagePager); the
            // source keeps its own in order, so only a stamp out of order is raised. The writer's later
            // stamps continue from the largest.
            var stamp = Math.Max(message.Stamp.ToUnixTimeMilliseconds(), previous);
            previous = stamp;
            _lastStamp = Math.Max(_lastStamp, stamp);
            insert.Parameters[0].Value = archive;
            insert.Parameters[1].Value = message.Id;
            insert.Parameters[2].Value = next;
            insert.Parameters[3].Value = stamp;
            insert.Parameters[4].Value = message.SenderBareJid;
            insert.Parameters[5].Value = (object?)message.SenderNick ?? DBNull.Value;
            insert.Parameters[6].Value = StoredStanza.Encode(message.Stanza);
            insert.Parameters[7].Value = message.Retracted ? 1 : 0;
            insert.ExecuteNonQuery();
            next++;
        }
        _nextPosition[archive] = next;
    }

    // ---- the batch ----

    public void WriteBatch(IReadOnlyList<WriteItem> batch)
    {
        try
        {
            // IMMEDIATE: take the write lock now, so what CheckForeignChanges reads cannot change
            // before the inserts that rely on it.
            using var transaction = _connection.BeginTransaction(deferred: false);
            _transaction = transaction;
            CheckForeignChanges();
            foreach (var item in batch)
            {
                if (item is AppendItem append)
                    Insert(append);
                else
                    RunIsolated((OperationItem)item, transaction);
            }
            transaction.Commit();
        }
        catch
        {
            // Nothing of the batch is on disk: positions handed out in it are void.
            _nextPosition.Clear();
            throw;
        }
        finally
        {
            _transaction = null;
        }
    }

    private void Insert(AppendItem item)
    {
        var position = NextPosition(item.Archive);
        // Stamps never decrease along seq, even if the clock steps back: queries rely on a time
        // range being a seq range. The stamp is taken here, at the write, so that it holds.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (now < _lastStamp)
            now = _lastStamp;
        _lastStamp = now;
        item.Stamp = now;

        _pArchive.Value = item.Archive;
        _pId.Value = item.Id;
        _pPos.Value = position;
        _pStamp.Value = now;
        _pSender.Value = item.Sender;
        _pNick.Value = (object?)item.Nick ?? DBNull.Value;
        _pStanza.Value = item.Stanza;
        _insert.Transaction = _transaction;
        _insert.ExecuteNonQuery();
        _nextPosition[item.Archive] = position + 1;
    }

    private void RunIsolated(OperationItem operation, SqliteTransaction transaction)
    {
        transaction.Save("op");
        var positions = new Dictionary<string, long>(_nextPosition, StringComparer.Ordinal);
        try
        {
            operation.Run();
        }
        catch (Exception e)
        {
            // The operation's own failure (a taken nick, a missing room): undo its changes only.
            // If even the rollback fails, the connection is in trouble and the batch fails.
            transaction.Rollback("op");
            transaction.Release("op");
            _nextPosition.Clear();
            foreach (var (archive, next) in positions) _nextPosition[archive] = next;
            operation.Fail(e);
            return;
        }
        transaction.Release("op");
    }

    private long NextPosition(string archive)
    {
        if (_nextPosition.TryGetValue(archive, out var next))
            return next;
        var command = Command("SELECT pos FROM messages WHERE archive = $archive ORDER BY seq DESC LIMIT 1",
            p => p.Add("$archive", SqliteType.Text));
        command.Parameters[0].Value = archive;
        var last = command.ExecuteScalar();
        return last is null or DBNull ? 0 : (long)last + 1;
    }

    /// <summary>
    /// data_version changes when another connection (another process on the same file, say) has
    /// committed since we last looked. Our cached positions and last stamp may then be stale, so
    /// they are reloaded; with a single process this is one cheap PRAGMA per batch.
    /// </summary>
    private void CheckForeignChanges()
    {
        var version = ReadDataVersion();
        if (version == _dataVersion)
            return;
        _dataVersion = version;
        _nextPosition.Clear();
        _lastStamp = Math.Max(_lastStamp, ReadLastStamp());
        ArchiveLog.ChangedElsewhere(_logger, _path);
    }

    private long ReadDataVersion()
    {
        var command = Command("PRAGMA data_version", _ => { });
        return (long)command.ExecuteScalar()!;
    }

    private long ReadLastStamp()
    {
        var command = Command("SELECT stamp FROM messages ORDER BY seq DESC LIMIT 1", _ => { });
        return command.ExecuteScalar() is long stamp ? stamp : 0;
    }
}
