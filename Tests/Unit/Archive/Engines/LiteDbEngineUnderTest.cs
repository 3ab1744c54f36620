using LiteDB;
using LiteDB.Engine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using XmppGroupChat.Archive;

namespace XmppGroupChat.Tests.Unit.Archive.Engines;

public sealed class LiteDbEngineUnderTest : EngineUnderTest
{
    public override ArchiveEngine Engine => ArchiveEngine.LiteDb;

    public override Task<string> NewTargetAsync(string directory) => Task.FromResult(Path.Combine(directory, "archive.litedb"));

    public override async Task<IArchiveStore> OpenAsync(string target, int queueCapacity = 8192, int? schemaVersion = null, ILogger? logger = null) =>
        await LiteDbArchive.OpenAsync(target, logger ?? NullLogger.Instance, new LiteDbArchiveOptions { QueueCapacity = queueCapacity }, schemaVersion, default);

    /// <summary>
    /// LiteDB has no triggers: a unique index on "the sender is <paramref name="sender"/>", with one
    /// such document already in place (outside any archive's keys), refuses every later one.
    /// </summary>
    public override Task FailAppendsFromAsync(IArchiveStore store, string target, string sender)
    {
        var database = ((LiteDbArchive)store).Database;
        database.Insert("messages", [new BsonDocument { ["_id"] = LiteDbKeys.Message(LiteDbKeys.MaxArchiveNumber, 0), ["i"] = "trap", ["s"] = sender }], BsonAutoId.Int64);
        database.EnsureIndex("messages", "boom", BsonExpression.Create($"IIF($.s = '{sender}', 'boom', $._id)"), unique: true);
        return Task.CompletedTask;
    }

    public override Task<IReadOnlyList<string>> StoredStanzasAsync(IArchiveStore store, string target)
    {
        using var reader = ((LiteDbArchive)store).Database.Query("messages", new Query());
        var stanzas = new List<string>();
        while (reader.Read())
            stanzas.Add(System.Text.Encoding.UTF8.GetString(reader.Current["z"].AsBinary));
        return Task.FromResult<IReadOnlyList<string>>(stanzas);
    }

    public override Task SaveParticipantAsPreviousVersionAsync(IArchiveStore store, string target, string room, ParticipantRecord participant)
    {
        ((LiteDbArchive)store).Database.Insert("participants", [new BsonDocument
        {
            ["_id"] = room + "\0" + participant.Id, ["room"] = room, ["roomJid"] = room, ["id"] = participant.Id, ["jid"] = participant.BareJid,
            ["nick"] = participant.Nick, ["subscriptions"] = new BsonArray(participant.Subscriptions.Select(s => new BsonValue(s))),
            ["joined"] = participant.Joined.ToUnixTimeMilliseconds(),
        }], BsonAutoId.ObjectId);
        return Task.CompletedTask;
    }

    public override Task MarkNewerSchemaAsync(string target)
    {
        using var engine = new LiteEngine(target);
        engine.Pragma("USER_VERSION", 99);
        return Task.CompletedTask;
    }

    public override async Task<string> DamagedTargetAsync(string target)
    {
        await File.WriteAllBytesAsync(target, Enumerable.Range(0, 16384).Select(i => (byte)(i * 7 + 3)).ToArray());
        return target;
    }

    public override Task<string> ForeignTargetAsync(string directory)
    {
        var path = Path.Combine(directory, "contacts.litedb");
        using var engine = new LiteEngine(path);
        engine.Insert("contacts", [new BsonDocument { ["name"] = "someone" }], BsonAutoId.ObjectId);
        return Task.FromResult(path);
    }
}
