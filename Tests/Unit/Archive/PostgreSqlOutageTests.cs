using XmppGroupChat.Archive;
using XmppGroupChat.Tests.Unit.Archive.Engines;
using XmppGroupChat.Tests.Unit.Support;
using static XmppGroupChat.Tests.Unit.Archive.ArchiveSamples;

namespace XmppGroupChat.Tests.Unit.Archive;

/// <summary>
/// PostgreSQL going away: down at start-up (the archive waits, logging each attempt), down mid-run
/// (writes are refused to their senders, nothing acknowledged is lost, the archive reconnects), and a
/// connection string it refuses. These stop and start a server of their own, not the run's shared one.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class PostgreSqlOutageTests
{
    private static readonly PostgreSqlArchiveOptions QuickRetries = new()
    {
        ReconnectBaseDelay = TimeSpan.FromMilliseconds(50),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
    };

    private PostgreSqlServer _server = null!;
    private string _database = "";

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await PostgreSqlServer.StartAsync("outage");
        _database = await _server.CreateDatabaseAsync();
    }

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    private async Task<string> NewSchemaAsync()
    {
        var schema = "s_" + Guid.NewGuid().ToString("N");
        await _server.ExecuteAsync(_database, $"CREATE SCHEMA {schema}");
        return _server.ConnectionString(_database, schema);
    }

    [Test]
    public async Task Down_at_start_up_the_archive_waits_logging_each_attempt_and_opens_when_it_is_back()
    {
        var target = await NewSchemaAsync();
        await _server.StopAsync();
        var logs = new RecordingLogger();
        Task<PostgreSqlArchive> opening;
        try
        {
            opening = PostgreSqlArchive.OpenAsync(target, logs, QuickRetries);
            await logs.WhenLogged(3009);
            Assert.That(opening.IsCompleted, Is.False);
            Assert.That(logs.Messages(3009).First(), Does.Contain($"127.0.0.1:{_server.Port}").And.Contain("trying again in"));
        }
        finally
        {
            await _server.StartAgainAsync();
        }
        await using var archive = await opening.WaitAsync(TimeSpan.FromMinutes(2));
        var message = await archive.AppendAsync(Room, Draft(1));
        Assert.That((await archive.GetAsync(Room, message.Id))!.Id, Is.EqualTo(message.Id));
    }

    [Test]
    public async Task Gone_mid_run_writes_are_refused_to_their_senders_and_the_archive_reconnects()
    {
        var logs = new RecordingLogger();
        await using var archive = await PostgreSqlArchive.OpenAsync(await NewSchemaAsync(), logs, QuickRetries);
        var acked = await AppendSequentiallyAsync(archive, Room, 5);

        await _server.StopAsync();
        try
        {
            // Refused, never acknowledged: the task faults.
            Assert.CatchAsync<ArchiveUnavailableException>(async () => await archive.AppendAsync(Room, Draft(100)));
            Assert.CatchAsync<ArchiveUnavailableException>(() => archive.SaveRegisteredNickAsync("alice@test", "Alice"));
            Assert.CatchAsync<ArchiveUnavailableException>(() => archive.QueryAsync(Room, new ArchiveQuery()));
            Assert.That(logs.Messages(3011).Single(), Does.Contain("writes are refused"));
        }
        finally
        {
            await _server.StartAgainAsync();
        }

        // The breaker lets a write through once its break is over: keep writing until one is taken.
        ArchivedMessage? after = null;
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (after is null)
        {
            try
            {
                after = await archive.AppendAsync(Room, Draft(200));
            }
            catch (ArchiveUnavailableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
        await logs.WhenLogged(3010);
        Assert.That(Ids(await ReadAllAsync(archive, Room)), Is.EqualTo(Ids(acked).Append(after.Id)));
        var page = await archive.QueryAsync(Room, new ArchiveQuery(Before: "", Max: 1));
        Assert.That((page.Count, page.FirstIndex), Is.EqualTo((6, 5)));
    }

    [TestCase("Host=127.0.0.1;Port=not-a-number", "not a valid PostgreSQL connection string")]
    [TestCase("Host=127.0.0.1;Database=no_such_database;Username=postgres;Password=" + PostgreSqlServer.Password, "3D000")]
    public async Task A_connection_string_it_refuses_stops_the_open_with_a_log_line_naming_the_setting(string connectionString, string reason)
    {
        connectionString = connectionString.Replace("Host=127.0.0.1", $"Host=127.0.0.1;Port={_server.Port}");
        var logs = new RecordingLogger();
        var error = Assert.ThrowsAsync<ArchiveOpenException>(() => PostgreSqlArchive.OpenAsync(connectionString, logs, QuickRetries));
        Assert.That(error!.Message, Does.Contain("Storage:ConnectionString").And.Contain(reason));
        Assert.That(logs.Messages(3008).Single(), Does.Contain("Storage:ConnectionString"));
        await Task.CompletedTask;
    }
}
