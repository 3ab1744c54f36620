using LiteDB;
using LiteDB.Engine;
using Microsoft.Extensions.Logging;

namespace XmppGroupChat.Archive;

/// <summary>
/// The collections' indexes, created or migrated on open. The schema version is LiteDB's
/// USER_VERSION pragma; versions mean what they mean in the SQLite engine (<see cref="SqliteSchema"/>):
/// 1 the room host's data, 2 the relay store, 3 participants' dialects. LiteDB cannot put index
/// creation in a transaction, so each step is written to be run again: a crash part-way through
/// one leaves the previous version number, and the next open repeats it.
/// </summary>
internal static class LiteDbSchema
{
    public static int CurrentVersion => Migrations.Length;

    private static readonly Action<ILiteEngine>[] Migrations =
    [
        engine =>
        {
            engine.EnsureIndex(LiteDbBatchWriter.Messages, "i", BsonExpression.Create("$.i"), unique: true);
            engine.EnsureIndex(LiteDbBatchWriter.Messages, "w", BsonExpression.Create("$.w"), unique: false);
            engine.EnsureIndex(LiteDbNames.Archives, "name", BsonExpression.Create("$.name"), unique: true);
            engine.EnsureIndex(LiteDbNames.Senders, "name", BsonExpression.Create("$.name"), unique: true);
            engine.EnsureIndex(LiteDbRoomDocuments.Rooms, "jid", BsonExpression.Create("$.jid"), unique: false);
            engine.EnsureIndex(LiteDbRoomDocuments.Participants, "room", BsonExpression.Create("$.room"), unique: false);
            engine.EnsureIndex(LiteDbRoomDocuments.Nicks, "folded", BsonExpression.Create("$.folded"), unique: true);
        },
        engine =>
        {
            engine.EnsureIndex(LiteDbRelayDocuments.RelayEntries, "k", BsonExpression.Create("$.k"), unique: true);
            engine.EnsureIndex(LiteDbRelayDocuments.RelayEntries, "room", BsonExpression.Create("$.room"), unique: false);
            engine.EnsureIndex(LiteDbRelayDocuments.RelayRooms, "room", BsonExpression.Create("$.room"), unique: false);
        },
        engine =>
        {
            // Participants stored before dialects were kept joined with the default one.
            var stale = LiteDbRoomDocuments.All(engine, LiteDbRoomDocuments.Participants).Where(d => !d["dialect"].IsString).ToList();
            foreach (var document in stale)
                document["dialect"] = "urn:xmpp:mix:core:1";
            if (stale.Count > 0)
                engine.Update(LiteDbRoomDocuments.Participants, stale);
        },
    ];

    /// <summary>Brings the file to <paramref name="upTo"/> (normally <see cref="CurrentVersion"/>); returns the version it is at.</summary>
    /// <exception cref="ArchiveOpenException">A file of a newer program, or a LiteDB file that is not an archive.</exception>
    public static int Migrate(ILiteEngine engine, string path, ILogger logger, int? upTo = null)
    {
        var target = upTo ?? CurrentVersion;
        var version = engine.Pragma(Pragmas.USER_VERSION).AsInt32;
        if (version > CurrentVersion)
            throw new ArchiveOpenException(path,
                $"The archive {path} has schema version {version}; this program knows up to {CurrentVersion}. Use a newer program or another file.");
        if (version == 0 && Collections(engine).Count > 0)
            throw new ArchiveOpenException(path,
                $"{path} is a LiteDB file that this program did not write (it has collections {string.Join(", ", Collections(engine))}); set Storage:Path to another directory.");
        var collation = engine.Pragma(Pragmas.COLLATION).AsString;
        if (!collation.EndsWith("/Ordinal", StringComparison.OrdinalIgnoreCase))
            throw new ArchiveOpenException(path, $"{path} compares text as '{collation}', not ordinally as an archive must; it is not an archive of this program.");
        while (version < target)
        {
            Migrations[version](engine);
            engine.Pragma(Pragmas.USER_VERSION, version + 1);
            ArchiveLog.Migrated(logger, path, version, version + 1);
            version++;
        }
        return version;
    }

    private static List<string> Collections(ILiteEngine engine)
    {
        using var reader = engine.Query("$cols", new Query { Select = BsonExpression.Create("{ name, type }") });
        var names = new List<string>();
        while (reader.Read())
        {
            if (reader.Current["type"].AsString == "user")
                names.Add(reader.Current["name"].AsString);
        }
        return names;
    }
}
