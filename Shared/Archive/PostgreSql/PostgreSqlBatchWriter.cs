using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Polly;

namespace XmppGroupChat.Archive;

/// <summary>
/// PostgreSQL's side of group commit (<see cref="GroupCommitQueue"/>): one connection held by the
/// writer thread, one transaction per batch, each operation under its own savepoint. A batch's
/// appends take two statements whatever their number: one upsert on <c>archives</c> reserves their
/// positions (its row locks keep positions dense even with several writing processes), one insert
/// of arrays stores them.
/// <para>
/// When the connection breaks, the batch is refused (every caller's task faults) and the connection
/// is dropped; the next batch reconnects through <see cref="PostgreSqlReconnect.Running"/>. A break
/// during COMMIT leaves its outcome unknown: the batch is still refused, so a sender may repeat a
/// message that was stored, but nothing acknowledged is ever missing.
/// </para>
/// </summary>
internal sealed class PostgreSqlBatchWriter(NpgsqlDataSource source, string location, ILogger logger, ResiliencePipeline reconnect)
    : IBatchWriter, IDisposable
{
    private readonly List<AppendItem> _pending = [];
    private NpgsqlConnection? _connection;
    private NpgsqlTransaction? _transaction;
    private bool _away;

    public void WriteBatch(IReadOnlyList<WriteItem> batch)
    {
        var connection = Connection();
        try
        {
            using var transaction = connection.BeginTransaction();
            _transaction = transaction;
            foreach (var item in batch)
            {
                if (item is AppendItem append)
                {
                    _pending.Add(append);
                    continue;
                }
                Flush();
                RunIsolated((OperationItem)item, transaction);
            }
            Flush();
            transaction.Commit();
        }
        catch (Exception e) when (PostgreSqlFaults.IsUnavailable(e))
        {
            Drop();
            if (!_away)
            {
                _away = true;
                ArchiveLog.WentAway(logger, location, PostgreSqlFaults.Describe(e));
            }
            throw new ArchiveUnavailableException($"PostgreSQL at {location} went away: the batch was refused, not stored.", e);
        }
        finally
        {
            _pending.Clear();
            _transaction = null;
        }
        if (_away)
        {
            _away = false;
            ArchiveLog.Reconnected(logger, location);
        }
    }

    private NpgsqlConnection Connection()
    {
        if (_connection is { State: System.Data.ConnectionState.Open })
            return _connection;
        Drop();
        try
        {
            _connection = PostgreSqlReconnect.Open(reconnect, source, location);
            return _connection;
        }
        catch (ArchiveUnavailableException e)
        {
            if (!_away)
            {
                _away = true;
                ArchiveLog.WentAway(logger, location, PostgreSqlFaults.Describe(e.InnerException ?? e));
            }
            throw;
        }
    }

    private void Drop()
    {
        _connection?.Dispose();
        _connection = null;
    }

    private void RunIsolated(OperationItem operation, NpgsqlTransaction transaction)
    {
        transaction.Save("op");
        try
        {
            operation.Run();
        }
        catch (Exception e) when (!PostgreSqlFaults.IsUnavailable(e))
        {
            // The operation's own failure (a taken nick, a missing room): undo its changes only.
            transaction.Rollback("op");
            operation.Fail(e);
            return;
        }
        transaction.Release("op");
    }

    // ---- for operations running on the writer thread ----

    /// <summary>A command on the writer's connection, in the batch's transaction.</summary>
    public NpgsqlCommand Command(string sql, params object?[] parameters)
    {
        var command = new NpgsqlCommand(sql, _connection, _transaction);
        foreach (var value in parameters)
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        return command;
    }

    public int Execute(string sql, params object?[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>Replaces a message's stanza by its tombstone; false when the archive has no such id.</summary>
    public bool Retract(string archive, string id)
    {
        long position;
        byte[] stanza;
        using (var select = Command("SELECT pos, stanza, retracted FROM messages WHERE id = $1 AND archive = $2 FOR UPDATE", id, archive))
        using (var reader = select.ExecuteReader())
        {
            if (!reader.Read())
                return false;
            if (reader.GetBoolean(2))
                return true; // already a tombstone: keep its first retraction stamp
            position = reader.GetInt64(0);
            stanza = reader.GetFieldValue<byte[]>(1);
        }
        var tombstone = StoredStanza.Tombstone(StoredStanza.Decode(stanza), DateTimeOffset.UtcNow);
        Execute("UPDATE messages SET stanza = $1, retracted = true WHERE archive = $2 AND pos = $3", StoredStanza.Encode(tombstone), archive, position);
        return true;
    }

    /// <summary>Deletes every message of the archive; returns how many. Its positions restart at 0.</summary>
    public int DeleteArchive(string archive)
    {
        // The archive's row first, in the order appends lock: no deadlock with another writer.
        Execute("UPDATE archives SET next_pos = 0 WHERE name = $1", archive);
        return Execute("DELETE FROM messages WHERE archive = $1", archive);
    }

    /// <summary>Stores already-archived messages as they are at the end of the archive (see <see cref="IArchiveTransfer"/>).</summary>
    public void Import(string archive, long firstPosition, IReadOnlyList<ArchivedMessage> messages)
    {
        Execute("INSERT INTO archives (name, next_pos, last_stamp) VALUES ($1, 0, 0) ON CONFLICT (name) DO NOTHING", archive);
        long next, last;
        using (var select = Command("SELECT next_pos, last_stamp FROM archives WHERE name = $1 FOR UPDATE", archive))
        using (var reader = select.ExecuteReader())
        {
            reader.Read();
            (next, last) = (reader.GetInt64(0), reader.GetInt64(1));
        }
        if (next != firstPosition)
            throw new InvalidOperationException($"The archive {archive} holds {next} messages here, not {firstPosition}: it changed during the copy.");
        var rows = new MessageRows(messages.Count);
        foreach (var message in messages)
        {
            // The source keeps its stamps in order; a stamp before the archive's last is raised to it.
            last = Math.Max(last, message.Stamp.ToUnixTimeMilliseconds());
            rows.Add(archive, next++, message.Id, last, message.SenderBareJid, message.SenderNick, StoredStanza.Encode(message.Stanza), message.Retracted);
        }
        rows.Insert(this);
        Execute("UPDATE archives SET next_pos = $2, last_stamp = $3 WHERE name = $1", archive, next, last);
    }

    // ---- appends ----

    private void Flush()
    {
        if (_pending.Count == 0)
            return;
        var byArchive = new SortedDictionary<string, List<AppendItem>>(StringComparer.Ordinal);
        foreach (var item in _pending)
        {
            if (!byArchive.TryGetValue(item.Archive, out var list))
                byArchive.Add(item.Archive, list = []);
            list.Add(item);
        }
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var names = byArchive.Keys.ToArray();
        var counts = byArchive.Values.Select(l => (long)l.Count).ToArray();
        var stamps = names.Select(_ => now).ToArray();
        var reserved = new Dictionary<string, (long Next, long Stamp)>(StringComparer.Ordinal);
        // Sorted names: every writer locks archive rows in one order, so two never deadlock.
        using (var reserve = Command(
                   "INSERT INTO archives (name, next_pos, last_stamp) SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[]) " +
                   "ON CONFLICT (name) DO UPDATE SET next_pos = archives.next_pos + excluded.next_pos, " +
                   "last_stamp = GREATEST(archives.last_stamp, excluded.last_stamp) RETURNING name, next_pos, last_stamp",
                   names, counts, stamps))
        using (var reader = reserve.ExecuteReader())
        {
            while (reader.Read())
                reserved[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2));
        }
        var rows = new MessageRows(_pending.Count);
        foreach (var (archive, items) in byArchive)
        {
            // Stamps never decrease along an archive's positions, even across processes or a clock
            // stepping back: the row's last stamp is the floor. A time range is then a position range.
            var (next, stamp) = reserved[archive];
            var position = next - items.Count;
            foreach (var item in items)
            {
                item.Stamp = stamp;
                rows.Add(archive, position++, item.Id, stamp, item.Sender, item.Nick, item.Stanza, retracted: false);
            }
        }
        rows.Insert(this);
        _pending.Clear();
    }

    /// <summary>Messages as column arrays, inserted with one statement.</summary>
    private sealed class MessageRows(int capacity)
    {
        private readonly List<string> _archives = new(capacity);
        private readonly List<long> _positions = new(capacity);
        private readonly List<string> _ids = new(capacity);
        private readonly List<long> _stamps = new(capacity);
        private readonly List<string> _senders = new(capacity);
        private readonly List<string?> _nicks = new(capacity);
        private readonly List<byte[]> _stanzas = new(capacity);
        private readonly List<bool> _retracted = new(capacity);

        public void Add(string archive, long position, string id, long stamp, string sender, string? nick, byte[] stanza, bool retracted)
        {
            _archives.Add(archive);
            _positions.Add(position);
            _ids.Add(id);
            _stamps.Add(stamp);
            _senders.Add(sender);
            _nicks.Add(nick);
            _stanzas.Add(stanza);
            _retracted.Add(retracted);
        }

        public void Insert(PostgreSqlBatchWriter writer)
        {
            using var command = writer.Command(
                "INSERT INTO messages (archive, pos, id, stamp, sender, nick, stanza, retracted) " +
                "SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::bytea[], $8::boolean[])");
            command.Parameters.Add(new NpgsqlParameter { Value = _archives.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = _positions.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter { Value = _ids.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = _stamps.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter { Value = _senders.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = _nicks.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter { Value = _stanzas.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            command.Parameters.Add(new NpgsqlParameter { Value = _retracted.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean });
            command.ExecuteNonQuery();
        }
    }

    public void Dispose() => Drop();
}
