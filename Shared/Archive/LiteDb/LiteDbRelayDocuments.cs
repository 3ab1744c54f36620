using System.Xml.Linq;
using LiteDB;
using LiteDB.Engine;

namespace XmppGroupChat.Archive;

/// <summary>
/// The relay room store in LiteDB: collections <c>relay_rooms</c> and <c>relay_entries</c>. An entry's
/// <c>_id</c> is a number that grows with each new entry, so ordering by it gives the order entries
/// were first saved (a replaced value keeps its document, so its place). Writes check before they
/// change anything (see <see cref="LiteDbBatchWriter"/>).
/// </summary>
internal static class LiteDbRelayDocuments
{
    public const string RelayRooms = "relay_rooms";
    public const string RelayEntries = "relay_entries";

    public static void SaveRoom(ILiteEngine engine, string room, XElement state) =>
        engine.Upsert(RelayRooms, [new BsonDocument { ["_id"] = LiteDbText.Key(room), ["room"] = room, ["state"] = StoredStanza.Encode(state) }],
            BsonAutoId.ObjectId);

    public static void DeleteRoom(ILiteEngine engine, string room)
    {
        engine.Delete(RelayRooms, [LiteDbText.Key(room)]);
        engine.DeleteMany(RelayEntries, BsonExpression.Create("room = @0", LiteDbText.Key(room)));
    }

    public static void SaveEntry(ILiteEngine engine, string room, RelayEntry entry)
    {
        RequireRoom(engine, room, entry);
        Upsert(engine, room, entry);
    }

    public static void DeleteEntry(ILiteEngine engine, string room, string kind, string key) =>
        engine.DeleteMany(RelayEntries, BsonExpression.Create("k = @0", LiteDbText.Key(room, kind, key)));

    public static void ReplaceEntries(ILiteEngine engine, string room, string kind, IReadOnlyList<RelayEntry> entries)
    {
        if (entries.Count > 0) RequireRoom(engine, room, entries[0]);
        else if (!LiteDbRoomDocuments.Exists(engine, RelayRooms, LiteDbText.Key(room)))
            throw new InvalidOperationException($"Cannot replace the '{kind}' entries: the relayed room {room} is not stored (SaveRelayRoomAsync first).");
        engine.DeleteMany(RelayEntries, BsonExpression.Create("room = @0 AND kind = @1", LiteDbText.Key(room), kind));
        // A key given twice keeps its first place and its last value, as upserts one by one would.
        foreach (var entry in entries)
            Upsert(engine, room, entry with { Kind = kind });
    }

    public static IReadOnlyList<RelayRoomRecord> LoadRooms(ILiteEngine engine)
    {
        var entries = new Dictionary<string, List<RelayEntry>>(StringComparer.Ordinal);
        foreach (var document in LiteDbRoomDocuments.All(engine, RelayEntries).OrderBy(d => d["_id"].AsInt64))
        {
            var room = document["roomJid"].AsString;
            if (!entries.TryGetValue(room, out var list))
                entries.Add(room, list = []);
            list.Add(new RelayEntry(document["kind"].AsString, document["key"].AsString, StoredStanza.Decode(document["value"].AsBinary)));
        }
        return LiteDbRoomDocuments.All(engine, RelayRooms)
            .OrderBy(d => d["room"].AsString, StringComparer.Ordinal)
            .Select(d => new RelayRoomRecord(d["room"].AsString, StoredStanza.Decode(d["state"].AsBinary),
                entries.TryGetValue(d["room"].AsString, out var list) ? list : []))
            .ToList();
    }

    private static void RequireRoom(ILiteEngine engine, string room, RelayEntry entry)
    {
        if (!LiteDbRoomDocuments.Exists(engine, RelayRooms, LiteDbText.Key(room)))
            throw new InvalidOperationException($"Cannot save entry '{entry.Kind}/{entry.Key}': the relayed room {room} is not stored (SaveRelayRoomAsync first).");
    }

    private static void Upsert(ILiteEngine engine, string room, RelayEntry entry)
    {
        var k = LiteDbText.Key(room, entry.Kind, entry.Key);
        var value = StoredStanza.Encode(entry.Value);
        using (var reader = engine.Query(RelayEntries, new Query { Where = { BsonExpression.Create("k = @0", k) }, Limit = 1 }))
        {
            if (reader.Read())
            {
                var existing = reader.Current.AsDocument;
                existing["value"] = value;
                engine.Update(RelayEntries, [existing]);
                return;
            }
        }
        engine.Insert(RelayEntries, [new BsonDocument
        {
            ["k"] = k, ["room"] = LiteDbText.Key(room), ["roomJid"] = room, ["kind"] = entry.Kind, ["key"] = entry.Key, ["value"] = value,
        }], BsonAutoId.Int64);
    }
}
