using Microsoft.Data.Sqlite;
using System.Xml.Linq;

namespace XmppGroupChat.Archive;

/// <summary>The relay room store's statements: writes on the writer thread, reads on a read session.</summary>
internal static class SqliteRelayRoomSql
{
    public static void SaveRoom(SqliteBatchWriter writer, string room, XElement state)
    {
        writer.Bind("INSERT INTO relay_rooms (room, state) VALUES ($room, $state) ON CONFLICT (room) DO UPDATE SET state = excluded.state",
            ("$room", SqliteType.Text, room), ("$state", SqliteType.Blob, StoredStanza.Encode(state))).ExecuteNonQuery();
    }

    public static void DeleteRoom(SqliteBatchWriter writer, string room)
    {
        // Entries go with it (ON DELETE CASCADE).
        writer.Bind("DELETE FROM relay_rooms WHERE room = $room", ("$room", SqliteType.Text, room)).ExecuteNonQuery();
    }

    public static void SaveEntry(SqliteBatchWriter writer, string room, RelayEntry entry)
    {
        var command = writer.Bind(
            "INSERT INTO relay_entries (room, kind, key, value) VALUES ($room, $kind, $key, $value) " +
            "ON CONFLICT (room, kind, key) DO UPDATE SET value = excluded.value",
            ("$room", SqliteType.Text, room), ("$kind", SqliteType.Text, entry.Kind), ("$key", SqliteType.Text, entry.Key),
            ("$value", SqliteType.Blob, StoredStanza.Encode(entry.Value)));
        try
        {
            command.ExecuteNonQuery();
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SQLitePCL.raw.SQLITE_CONSTRAINT)
        {
            // The upsert cannot break the unique key, so this is the foreign key.
            throw new InvalidOperationException($"Cannot save entry '{entry.Kind}/{entry.Key}': the relayed room {room} is not stored (SaveRelayRoomAsync first).", e);
        }
    }

    public static void DeleteEntry(SqliteBatchWriter writer, string room, string kind, string key)
    {
        writer.Bind("DELETE FROM relay_entries WHERE room = $room AND kind = $kind AND key = $key",
            ("$room", SqliteType.Text, room), ("$kind", SqliteType.Text, kind), ("$key", SqliteType.Text, key)).ExecuteNonQuery();
    }

    public static void ReplaceEntries(SqliteBatchWriter writer, string room, string kind, IReadOnlyList<RelayEntry> entries)
    {
        writer.Bind("DELETE FROM relay_entries WHERE room = $room AND kind = $kind",
            ("$room", SqliteType.Text, room), ("$kind", SqliteType.Text, kind)).ExecuteNonQuery();
        // Inside the operation's savepoint: a failure part-way leaves the old entries in place.
        foreach (var entry in entries)
            SaveEntry(writer, room, entry with { Kind = kind });
    }

    public static IReadOnlyList<RelayRoomRecord> LoadRooms(ReadSession session)
    {
        // One read transaction: rooms and entries are one consistent snapshot.
        using var transaction = session.Connection.BeginTransaction(deferred: true);
        var entries = new Dictionary<string, List<RelayEntry>>(StringComparer.Ordinal);
        using (var command = session.Connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT room, kind, key, value FROM relay_entries ORDER BY room, seq";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var room = reader.GetString(0);
                if (!entries.TryGetValue(room, out var list))
                    entries.Add(room, list = []);
                list.Add(new RelayEntry(reader.GetString(1), reader.GetString(2), StoredStanza.Decode(reader.GetFieldValue<byte[]>(3))));
            }
        }
        var rooms = new List<RelayRoomRecord>();
        using (var command = session.Connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT room, state FROM relay_rooms ORDER BY room";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var room = reader.GetString(0);
                rooms.Add(new RelayRoomRecord(room, StoredStanza.Decode(reader.GetFieldValue<byte[]>(1)),
                    entries.TryGetValue(room, out var list) ? list : []));
            }
        }
        transaction.Commit();
        return rooms;
    }
}
