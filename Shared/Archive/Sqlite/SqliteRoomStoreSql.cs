using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace XmppGroupChat.Archive;

/// <summary>
/// The room store's statements. Writes run on the writer thread (<see cref="SqliteBatchWriter"/>), reads
/// on a read session. Times are stored as Unix ms, so they come back in UTC with millisecond
/// precision; JSON columns use the source-generated <see cref="ArchiveJson"/>.
/// </summary>
internal static class SqliteRoomStoreSql
{
    // ---- writes ----

    public static void SaveRoom(SqliteBatchWriter writer, RoomRecord room)
    {
        var affiliations = JsonSerializer.Serialize(
            new Dictionary<string, string>(room.Affiliations, StringComparer.Ordinal), ArchiveJson.Default.DictionaryStringString);
        writer.Bind(
            "INSERT INTO rooms (jid, created, config, affiliations, subject) VALUES ($jid, $created, $config, $affiliations, $subject) " +
            "ON CONFLICT (jid) DO UPDATE SET created = excluded.created, config = excluded.config, " +
            "affiliations = excluded.affiliations, subject = excluded.subject",
            ("$jid", SqliteType.Text, room.Jid), ("$created", SqliteType.Integer, room.Created.ToUnixTimeMilliseconds()),
            ("$config", SqliteType.Text, RoomJson.Config(room.Config)), ("$affiliations", SqliteType.Text, affiliations),
            ("$subject", SqliteType.Text, room.Subject)).ExecuteNonQuery();
    }

    public static void DeleteRoom(SqliteBatchWriter writer, string roomJid)
    {
        // Participants go with it (ON DELETE CASCADE).
        writer.Bind("DELETE FROM rooms WHERE jid = $jid", ("$jid", SqliteType.Text, roomJid)).ExecuteNonQuery();
    }

    public static void SaveParticipant(SqliteBatchWriter writer, string roomJid, ParticipantRecord participant)
    {
        var command = writer.Bind(
            "INSERT INTO participants (room, id, bare_jid, nick, subscriptions, joined, dialect, via_server) " +
            "VALUES ($room, $id, $jid, $nick, $subscriptions, $joined, $dialect, $via) " +
            "ON CONFLICT (room, id) DO UPDATE SET bare_jid = excluded.bare_jid, nick = excluded.nick, " +
            "subscriptions = excluded.subscriptions, joined = excluded.joined, dialect = excluded.dialect, via_server = excluded.via_server",
            ("$room", SqliteType.Text, roomJid), ("$id", SqliteType.Text, participant.Id), ("$jid", SqliteType.Text, participant.BareJid),
            ("$nick", SqliteType.Text, participant.Nick),
            ("$subscriptions", SqliteType.Text, JsonSerializer.Serialize(participant.Subscriptions.ToArray(), ArchiveJson.Default.StringArray)),
            ("$joined", SqliteType.Integer, participant.Joined.ToUnixTimeMilliseconds()),
            ("$dialect", SqliteType.Text, participant.Dialect), ("$via", SqliteType.Integer, participant.ViaServer ? 1 : 0));
        try
        {
            command.ExecuteNonQuery();
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SQLitePCL.raw.SQLITE_CONSTRAINT)
        {
            // The only constraint an upsert can break here is the foreign key.
            throw new InvalidOperationException($"Cannot save participant '{participant.Id}': the room {roomJid} is not stored (SaveRoomAsync first).", e);
        }
    }

    public static void DeleteParticipant(SqliteBatchWriter writer, string roomJid, string participantId)
    {
        writer.Bind("DELETE FROM participants WHERE room = $room AND id = $id",
            ("$room", SqliteType.Text, roomJid), ("$id", SqliteType.Text, participantId)).ExecuteNonQuery();
    }

    public static void SaveNick(SqliteBatchWriter writer, string bareJid, string? nick)
    {
        if (nick is null)
        {
            writer.Bind("DELETE FROM nicks WHERE bare_jid = $jid", ("$jid", SqliteType.Text, bareJid)).ExecuteNonQuery();
            return;
        }

        var folded = Fold(nick);
        // Checked first, inside the batch's write lock, so the caller gets NickTakenException
        // rather than a constraint error; the UNIQUE columns still guard the table itself.
        var owner = writer.Bind("SELECT bare_jid FROM nicks WHERE folded = $folded OR nick = $nick",
            ("$folded", SqliteType.Text, folded), ("$nick", SqliteType.Text, nick));
        using (var reader = owner.ExecuteReader())
        {
            while (reader.Read())
            {
                if (!string.Equals(reader.GetString(0), bareJid, StringComparison.Ordinal))
                    throw new NickTakenException(nick);
            }
        }

        writer.Bind(
            "INSERT INTO nicks (bare_jid, nick, folded) VALUES ($jid, $nick, $folded) " +
            "ON CONFLICT (bare_jid) DO UPDATE SET nick = excluded.nick, folded = excluded.folded",
            ("$jid", SqliteType.Text, bareJid), ("$nick", SqliteType.Text, nick), ("$folded", SqliteType.Text, folded)).ExecuteNonQuery();
    }

    /// <summary>
    /// The key nick uniqueness is decided on: invariant upper case, the same folding as
    /// <see cref="StringComparer.OrdinalIgnoreCase"/>, which the in-memory state can use to agree.
    /// </summary>
    public static string Fold(string nick) => ArchiveArguments.Fold(nick);

    // ---- reads ----

    public static IReadOnlyList<RoomRecord> LoadRooms(ReadSession session)
    {
        // One read transaction, so rooms and participants are one consistent snapshot.
        using var transaction = session.Connection.BeginTransaction(deferred: true);
        var participants = new Dictionary<string, List<ParticipantRecord>>(StringComparer.Ordinal);
        using (var command = session.Connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT room, id, bare_jid, nick, subscriptions, joined, dialect, via_server FROM participants ORDER BY room, joined, id";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var room = reader.GetString(0);
                if (!participants.TryGetValue(room, out var list))
                    participants.Add(room, list = []);
                list.Add(new ParticipantRecord(
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    JsonSerializer.Deserialize(reader.GetString(4), ArchiveJson.Default.StringArray) ?? [],
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                    reader.GetString(6),
                    reader.GetInt64(7) != 0));
            }
        }

        var rooms = new List<RoomRecord>();
        using (var command = session.Connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT jid, created, config, affiliations, subject FROM rooms ORDER BY jid";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var jid = reader.GetString(0);
                rooms.Add(new RoomRecord(
                    jid,
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                    RoomJson.ParseConfig(reader.GetString(2)),
                    JsonSerializer.Deserialize(reader.GetString(3), ArchiveJson.Default.DictionaryStringString) ?? [],
                    reader.IsDBNull(4) ? null : reader.GetString(4),
                    participants.TryGetValue(jid, out var list) ? list : []));
            }
        }
        transaction.Commit();
        return rooms;
    }

    public static IReadOnlyDictionary<string, string> LoadNicks(ReadSession session)
    {
        var nicks = new Dictionary<string, string>(StringComparer.Ordinal);
        using var command = session.Connection.CreateCommand();
        command.CommandText = "SELECT bare_jid, nick FROM nicks";
        using var reader = command.ExecuteReader();
        while (reader.Read())
            nicks.Add(reader.GetString(0), reader.GetString(1));
        return nicks;
    }
}
