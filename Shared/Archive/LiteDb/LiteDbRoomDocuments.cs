using LiteDB;
using LiteDB.Engine;

namespace XmppGroupChat.Archive;

/// <summary>
/// The room store in LiteDB: collections <c>rooms</c>, <c>participants</c> and <c>nicks</c>. Writes run
/// on the writer thread inside its batch and check before they change anything (see
/// <see cref="LiteDbBatchWriter"/>); reads run in a read transaction on the caller's thread. Times
/// are Unix ms; configuration and affiliations are the same JSON as in the SQLite engine.
/// </summary>
internal static class LiteDbRoomDocuments
{
    public const string Rooms = "rooms";
    public const string Participants = "participants";
    public const string Nicks = "nicks";

    // ---- writes ----

    public static void SaveRoom(ILiteEngine engine, RoomRecord room)
    {
        var affiliations = RoomJson.Affiliations(room.Affiliations);
        var document = new BsonDocument
        {
            ["_id"] = LiteDbText.Key(room.Jid),
            ["jid"] = room.Jid,
            ["created"] = room.Created.ToUnixTimeMilliseconds(),
            ["config"] = RoomJson.Config(room.Config),
            ["affiliations"] = affiliations,
            ["subject"] = room.Subject is null ? BsonValue.Null : room.Subject,
        };
        engine.Upsert(Rooms, [document], BsonAutoId.ObjectId);
    }

    public static void DeleteRoom(ILiteEngine engine, string roomJid)
    {
        engine.Delete(Rooms, [LiteDbText.Key(roomJid)]);
        engine.DeleteMany(Participants, BsonExpression.Create("room = @0", LiteDbText.Key(roomJid)));
    }

    public static void SaveParticipant(ILiteEngine engine, string roomJid, ParticipantRecord participant)
    {
        if (!Exists(engine, Rooms, LiteDbText.Key(roomJid)))
            throw new InvalidOperationException($"Cannot save participant '{participant.Id}': the room {roomJid} is not stored (SaveRoomAsync first).");
        var document = new BsonDocument
        {
            ["_id"] = LiteDbText.Key(roomJid, participant.Id),
            ["room"] = LiteDbText.Key(roomJid),
            ["roomJid"] = roomJid,
            ["id"] = participant.Id,
            ["jid"] = participant.BareJid,
            ["nick"] = participant.Nick is null ? BsonValue.Null : participant.Nick,
            ["subscriptions"] = new BsonArray(participant.Subscriptions.Select(s => new BsonValue(s))),
            ["joined"] = participant.Joined.ToUnixTimeMilliseconds(),
            ["dialect"] = participant.Dialect,
            ["viaServer"] = participant.ViaServer,
        };
        engine.Upsert(Participants, [document], BsonAutoId.ObjectId);
    }

    public static void DeleteParticipant(ILiteEngine engine, string roomJid, string participantId) =>
        engine.Delete(Participants, [LiteDbText.Key(roomJid, participantId)]);

    public static void SaveNick(ILiteEngine engine, string bareJid, string? nick)
    {
        var key = LiteDbText.Key(bareJid);
        if (nick is null)
        {
            engine.Delete(Nicks, [key]);
            return;
        }
        var folded = LiteDbText.Key(ArchiveArguments.Fold(nick));
        using (var reader = engine.Query(Nicks, new Query { Where = { BsonExpression.Create("folded = @0", folded) } }))
        {
            while (reader.Read())
            {
                if (reader.Current["_id"].AsString != key)
                    throw new NickTakenException(nick);
            }
        }
        engine.Upsert(Nicks, [new BsonDocument { ["_id"] = key, ["jid"] = bareJid, ["nick"] = nick, ["folded"] = folded }], BsonAutoId.ObjectId);
    }

    // ---- reads ----

    public static IReadOnlyList<RoomRecord> LoadRooms(ILiteEngine engine)
    {
        var participants = new Dictionary<string, List<ParticipantRecord>>(StringComparer.Ordinal);
        foreach (var document in All(engine, Participants))
        {
            var room = document["roomJid"].AsString;
            if (!participants.TryGetValue(room, out var list))
                participants.Add(room, list = []);
            list.Add(new ParticipantRecord(
                document["id"].AsString,
                document["jid"].AsString,
                document["nick"].IsString ? document["nick"].AsString : null,
                document["subscriptions"].AsArray.Select(v => v.AsString).ToList(),
                DateTimeOffset.FromUnixTimeMilliseconds(document["joined"].AsInt64),
                document["dialect"].AsString,
                document["viaServer"].IsBoolean && document["viaServer"].AsBoolean));
        }
        var rooms = new List<RoomRecord>();
        foreach (var document in All(engine, Rooms).OrderBy(d => d["jid"].AsString, StringComparer.Ordinal))
        {
            var jid = document["jid"].AsString;
            rooms.Add(new RoomRecord(
                jid,
                DateTimeOffset.FromUnixTimeMilliseconds(document["created"].AsInt64),
                RoomJson.ParseConfig(document["config"].AsString),
                RoomJson.ParseAffiliations(document["affiliations"].AsString),
                document["subject"].IsString ? document["subject"].AsString : null,
                participants.TryGetValue(jid, out var list)
                    ? list.OrderBy(p => p.Joined).ThenBy(p => p.Id, StringComparer.Ordinal).ToList()
                    : []));
        }
        return rooms;
    }

    public static IReadOnlyDictionary<string, string> LoadNicks(ILiteEngine engine) =>
        All(engine, Nicks).ToDictionary(d => d["jid"].AsString, d => d["nick"].AsString, StringComparer.Ordinal);

    internal static List<BsonDocument> All(ILiteEngine engine, string collection)
    {
        using var reader = engine.Query(collection, new Query());
        var documents = new List<BsonDocument>();
        while (reader.Read())
            documents.Add(reader.Current.AsDocument);
        return documents;
    }

    internal static bool Exists(ILiteEngine engine, string collection, string id)
    {
        using var reader = engine.Query(collection, new Query { Where = { BsonExpression.Create("_id = @0", id) }, Select = BsonExpression.Create("{ _id }") });
        return reader.Read();
    }
}
