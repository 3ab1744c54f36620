using System.Text.Json;
using Npgsql;

namespace XmppGroupChat.Archive;

/// <summary>
/// The room store's and relay store's statements on PostgreSQL: writes run on the writer thread
/// (<see cref="PostgreSqlBatchWriter"/>) under their savepoint, reads on a pooled connection in one
/// snapshot. The same JSON columns and Unix-ms times as the SQLite engine.
/// </summary>
internal static class PostgreSqlRoomSql
{
    private const string ForeignKeyViolation = "23503";
    private const string UniqueViolation = "23505";

    public static void SaveRoom(PostgreSqlBatchWriter writer, RoomRecord room) => writer.Execute(
        "INSERT INTO rooms (jid, created, config, affiliations, subject) VALUES ($1, $2, $3, $4, $5) " +
        "ON CONFLICT (jid) DO UPDATE SET created = excluded.created, config = excluded.config, " +
        "affiliations = excluded.affiliations, subject = excluded.subject",
        room.Jid, room.Created.ToUnixTimeMilliseconds(), RoomJson.Config(room.Config), RoomJson.Affiliations(room.Affiliations), room.Subject);

    // Participants go with it (ON DELETE CASCADE).
    public static void DeleteRoom(PostgreSqlBatchWriter writer, string roomJid) => writer.Execute("DELETE FROM rooms WHERE jid = $1", roomJid);

    public static void SaveParticipant(PostgreSqlBatchWriter writer, string roomJid, ParticipantRecord participant)
    {
        try
        {
            writer.Execute(
                "INSERT INTO participants (room, id, bare_jid, nick, subscriptions, joined, dialect, via_server) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) " +
                "ON CONFLICT (room, id) DO UPDATE SET bare_jid = excluded.bare_jid, nick = excluded.nick, " +
                "subscriptions = excluded.subscriptions, joined = excluded.joined, dialect = excluded.dialect, via_server = excluded.via_server",
                roomJid, participant.Id, participant.BareJid, participant.Nick,
                JsonSerializer.Serialize(participant.Subscriptions.ToArray(), ArchiveJson.Default.StringArray),
                participant.Joined.ToUnixTimeMilliseconds(), participant.Dialect, participant.ViaServer);
        }
        catch (PostgresException e) when (e.SqlState == ForeignKeyViolation)
        {
            throw new InvalidOperationException($"Cannot save participant '{participant.Id}': the room {roomJid} is not stored (SaveRoomAsync first).", e);
        }
    }

    public static void DeleteParticipant(PostgreSqlBatchWriter writer, string roomJid, string participantId) =>
        writer.Execute("DELETE FROM participants WHERE room = $1 AND id = $2", roomJid, participantId);

    public static void SaveNick(PostgreSqlBatchWriter writer, string bareJid, string? nick)
    {
        if (nick is null)
        {
            writer.Execute("DELETE FROM nicks WHERE bare_jid = $1", bareJid);
            return;
        }
        var folded = ArchiveArguments.Fold(nick);
        using (var owner = writer.Command("SELECT bare_jid FROM nicks WHERE folded = $1", folded))
        using (var reader = owner.ExecuteReader())
        {
            while (reader.Read())
            {
                if (!string.Equals(reader.GetString(0), bareJid, StringComparison.Ordinal))
                    throw new NickTakenException(nick);
            }
        }
        try
        {
            writer.Execute("INSERT INTO nicks (bare_jid, nick, folded) VALUES ($1, $2, $3) " +
                           "ON CONFLICT (bare_jid) DO UPDATE SET nick = excluded.nick, folded = excluded.folded", bareJid, nick, folded);
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            // Another process registered it between the check and the insert.
            throw new NickTakenException(nick);
        }
    }

    public static void SaveRelayRoom(PostgreSqlBatchWriter writer, string room, System.Xml.Linq.XElement state) => writer.Execute(
        "INSERT INTO relay_rooms (room, state) VALUES ($1, $2) ON CONFLICT (room) DO UPDATE SET state = excluded.state",
        room, StoredStanza.Encode(state));

    // Entries go with it (ON DELETE CASCADE).
    public static void DeleteRelayRoom(PostgreSqlBatchWriter writer, string room) => writer.Execute("DELETE FROM relay_rooms WHERE room = $1", room);

    public static void SaveRelayEntry(PostgreSqlBatchWriter writer, string room, RelayEntry entry)
    {
        try
        {
            writer.Execute(
                "INSERT INTO relay_entries (room, kind, key, value) VALUES ($1, $2, $3, $4) " +
                "ON CONFLICT (room, kind, key) DO UPDATE SET value = excluded.value",
                room, entry.Kind, entry.Key, StoredStanza.Encode(entry.Value));
        }
        catch (PostgresException e) when (e.SqlState == ForeignKeyViolation)
        {
            throw new InvalidOperationException($"Cannot save entry '{entry.Kind}/{entry.Key}': the relayed room {room} is not stored (SaveRelayRoomAsync first).", e);
        }
    }

    public static void DeleteRelayEntry(PostgreSqlBatchWriter writer, string room, string kind, string key) =>
        writer.Execute("DELETE FROM relay_entries WHERE room = $1 AND kind = $2 AND key = $3", room, kind, key);

    public static void ReplaceRelayEntries(PostgreSqlBatchWriter writer, string room, string kind, IReadOnlyList<RelayEntry> entries)
    {
        writer.Execute("DELETE FROM relay_entries WHERE room = $1 AND kind = $2", room, kind);
        if (entries.Count == 0)
        {
            using var exists = writer.Command("SELECT 1 FROM relay_rooms WHERE room = $1", room);
            if (exists.ExecuteScalar() is null)
                throw new InvalidOperationException($"Cannot replace the '{kind}' entries: the relayed room {room} is not stored (SaveRelayRoomAsync first).");
        }
        // Inside the operation's savepoint: a failure part-way leaves the old entries in place.
        foreach (var entry in entries)
            SaveRelayEntry(writer, room, entry with { Kind = kind });
    }

    // ---- reads ----

    public static async Task<IReadOnlyList<RoomRecord>> LoadRoomsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var participants = new Dictionary<string, List<ParticipantRecord>>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(
                         "SELECT room, id, bare_jid, nick, subscriptions, joined, dialect, via_server FROM participants ORDER BY room, joined, id COLLATE \"C\"", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var room = reader.GetString(0);
                if (!participants.TryGetValue(room, out var list))
                    participants.Add(room, list = []);
                list.Add(new ParticipantRecord(reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                    JsonSerializer.Deserialize(reader.GetString(4), ArchiveJson.Default.StringArray) ?? [],
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)), reader.GetString(6), reader.GetBoolean(7)));
            }
        }
        var rooms = new List<RoomRecord>();
        await using (var command = new NpgsqlCommand("SELECT jid, created, config, affiliations, subject FROM rooms ORDER BY jid COLLATE \"C\"", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var jid = reader.GetString(0);
                rooms.Add(new RoomRecord(jid, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), RoomJson.ParseConfig(reader.GetString(2)),
                    RoomJson.ParseAffiliations(reader.GetString(3)), reader.IsDBNull(4) ? null : reader.GetString(4),
                    participants.TryGetValue(jid, out var list) ? list : []));
            }
        }
        return rooms;
    }

    public static async Task<IReadOnlyDictionary<string, string>> LoadNicksAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var nicks = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("SELECT bare_jid, nick FROM nicks", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            nicks.Add(reader.GetString(0), reader.GetString(1));
        return nicks;
    }

    public static async Task<IReadOnlyList<RelayRoomRecord>> LoadRelayRoomsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var entries = new Dictionary<string, List<RelayEntry>>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("SELECT room, kind, key, value FROM relay_entries ORDER BY room, seq", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var room = reader.GetString(0);
                if (!entries.TryGetValue(room, out var list))
                    entries.Add(room, list = []);
                list.Add(new RelayEntry(reader.GetString(1), reader.GetString(2), StoredStanza.Decode(reader.GetFieldValue<byte[]>(3))));
            }
        }
        var rooms = new List<RelayRoomRecord>();
        await using (var command = new NpgsqlCommand("SELECT room, state FROM relay_rooms ORDER BY room COLLATE \"C\"", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var room = reader.GetString(0);
                rooms.Add(new RelayRoomRecord(room, StoredStanza.Decode(reader.GetFieldValue<byte[]>(1)), entries.TryGetValue(room, out var list) ? list : []));
            }
        }
        return rooms;
    }
}
