using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using XmppGroupChat.Archive;

namespace XmppGroupChat.Tests.Unit.Archive.Engines;

/// <summary>PostgreSQL on the run's own server (<see cref="PostgreSqlServer.Shared"/>): a database per test class, a schema per test.</summary>
public sealed class PostgreSqlEngineUnderTest : EngineUnderTest
{
    private PostgreSqlServer _server = null!;
    private string _database = "";

    public override ArchiveEngine Engine => ArchiveEngine.PostgreSql;

    public override async Task OneTimeSetUpAsync()
    {
        _server = await PostgreSqlServer.Shared();
        _database = await _server.CreateDatabaseAsync();
    }

    public override async Task<string> NewTargetAsync(string directory)
    {
        var schema = "s_" + Guid.NewGuid().ToString("N");
        await _server.ExecuteAsync(_database, $"CREATE SCHEMA {schema}");
        return _server.ConnectionString(_database, schema);
    }

    public override async Task<IArchiveStore> OpenAsync(string target, int queueCapacity = 8192, int? schemaVersion = null, ILogger? logger = null) =>
        await PostgreSqlArchive.OpenAsync(target, logger ?? NullLogger.Instance, new PostgreSqlArchiveOptions { QueueCapacity = queueCapacity }, schemaVersion, default);

    public override Task FailAppendsFromAsync(IArchiveStore store, string target, string sender) => ExecuteAsync(target,
        "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN " +
        $"IF NEW.sender = '{sender}' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$; " +
        "CREATE TRIGGER boom BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION boom()");

    public override async Task<IReadOnlyList<string>> StoredStanzasAsync(IArchiveStore store, string target)
    {
        await using var connection = await OpenRawAsync(target);
        await using var command = new NpgsqlCommand("SELECT stanza FROM messages ORDER BY archive, pos", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var stanzas = new List<string>();
        while (await reader.ReadAsync())
            stanzas.Add(System.Text.Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(0)));
        return stanzas;
    }

    public override async Task SaveParticipantAsPreviousVersionAsync(IArchiveStore store, string target, string room, ParticipantRecord participant)
    {
        await using var connection = await OpenRawAsync(target);
        await using var command = new NpgsqlCommand(
            "INSERT INTO participants (room, id, bare_jid, nick, subscriptions, joined) VALUES ($1, $2, $3, $4, $5, $6)", connection);
        foreach (var value in new object?[] { room, participant.Id, participant.BareJid, participant.Nick,
                     System.Text.Json.JsonSerializer.Serialize(participant.Subscriptions), participant.Joined.ToUnixTimeMilliseconds() })
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        await command.ExecuteNonQueryAsync();
    }

    public override Task MarkNewerSchemaAsync(string target) => ExecuteAsync(target, "UPDATE archive_schema SET version = 99");

    public override Task<string> DamagedTargetAsync(string target) =>
        Task.FromResult(new NpgsqlConnectionStringBuilder(target) { Password = "not-the-password" }.ToString());

    public override async Task<string> ForeignTargetAsync(string directory)
    {
        var target = await NewTargetAsync(directory);
        await ExecuteAsync(target, "CREATE TABLE contacts (name text)");
        return target;
    }

    private static async Task ExecuteAsync(string target, string sql)
    {
        await using var connection = await OpenRawAsync(target);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<NpgsqlConnection> OpenRawAsync(string target)
    {
        var connection = new NpgsqlConnection(target + ";Pooling=false");
        await connection.OpenAsync();
        return connection;
    }
}
