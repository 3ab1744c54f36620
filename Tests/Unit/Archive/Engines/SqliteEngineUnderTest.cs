using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using XmppGroupChat.Archive;

namespace XmppGroupChat.Tests.Unit.Archive.Engines;

public sealed class SqliteEngineUnderTest : EngineUnderTest
{
    public override ArchiveEngine Engine => ArchiveEngine.Sqlite;

    public override Task<string> NewTargetAsync(string directory) => Task.FromResult(Path.Combine(directory, "archive.db"));

    public override async Task<IArchiveStore> OpenAsync(string target, int queueCapacity = 8192, int? schemaVersion = null, ILogger? logger = null) =>
        await SqliteArchive.OpenAsync(target, logger ?? NullLogger.Instance, new SqliteArchiveOptions { QueueCapacity = queueCapacity }, schemaVersion, default);

    public override Task FailAppendsFromAsync(IArchiveStore store, string target, string sender) =>
        ExecuteAsync(target, $"CREATE TRIGGER boom BEFORE INSERT ON messages WHEN NEW.sender = '{sender}' BEGIN SELECT RAISE(ABORT, 'boom'); END");

    public override Task<IReadOnlyList<string>> StoredStanzasAsync(IArchiveStore store, string target)
    {
        using var connection = Raw(target);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT stanza FROM messages ORDER BY seq";
        using var reader = command.ExecuteReader();
        var stanzas = new List<string>();
        while (reader.Read())
            stanzas.Add(System.Text.Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(0)));
        return Task.FromResult<IReadOnlyList<string>>(stanzas);
    }

    public override Task SaveParticipantAsPreviousVersionAsync(IArchiveStore store, string target, string room, ParticipantRecord participant)
    {
        using var connection = Raw(target);
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO participants (room, id, bare_jid, nick, subscriptions, joined) VALUES ($room, $id, $jid, $nick, $subscriptions, $joined)";
        command.Parameters.AddWithValue("$room", room);
        command.Parameters.AddWithValue("$id", participant.Id);
        command.Parameters.AddWithValue("$jid", participant.BareJid);
        command.Parameters.AddWithValue("$nick", participant.Nick);
        command.Parameters.AddWithValue("$subscriptions", System.Text.Json.JsonSerializer.Serialize(participant.Subscriptions));
        command.Parameters.AddWithValue("$joined", participant.Joined.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    public override Task MarkNewerSchemaAsync(string target) => ExecuteAsync(target, "PRAGMA user_version = 99");

    public override async Task<string> DamagedTargetAsync(string target)
    {
        await File.WriteAllBytesAsync(target, Enumerable.Range(0, 8192).Select(i => (byte)(i * 7 + 3)).ToArray());
        return target;
    }

    public override async Task<string> ForeignTargetAsync(string directory)
    {
        var path = Path.Combine(directory, "contacts.db");
        await ExecuteAsync(path, "CREATE TABLE contacts (name TEXT)");
        return path;
    }

    private static Task ExecuteAsync(string target, string sql)
    {
        using var connection = Raw(target);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    private static SqliteConnection Raw(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
