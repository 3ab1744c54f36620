using XmppGroupChat.Tests.Unit.Archive.Engines;

namespace XmppGroupChat.Tests.Unit.Archive;

/// <summary>Stops the run's shared PostgreSQL server after the archive tests, if one of them started it.</summary>
[SetUpFixture]
public sealed class PostgreSqlServerTeardown
{
    [OneTimeTearDown]
    public Task StopAsync() => PostgreSqlServer.StopSharedAsync();
}
