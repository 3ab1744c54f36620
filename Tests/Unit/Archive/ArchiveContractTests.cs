using Microsoft.Data.Sqlite;
using XmppGroupChat.Archive;
using XmppGroupChat.Tests.Unit.Archive.Engines;

namespace XmppGroupChat.Tests.Unit.Archive;

/// <summary>
/// The contract every archive engine must keep: each test class deriving from this runs once per
/// engine (<see cref="EngineUnderTest.All"/>: SQLite, LiteDB, PostgreSQL). Per test: a temporary
/// directory and a fresh archive location (<see cref="Target"/>), the archives opened (disposed
/// after the test), and realistic groupchat messages.
/// </summary>
[TestFixtureSource(typeof(EngineUnderTest), nameof(EngineUnderTest.All))]
public abstract class ArchiveContractTests(EngineUnderTest engine)
{
    protected const string Room = ArchiveSamples.Room;
    protected const string OtherRoom = ArchiveSamples.OtherRoom;

    private readonly List<IArchiveStore> _opened = [];

    protected EngineUnderTest Engine => engine;

    protected string Directory { get; private set; } = "";

    /// <summary>This test's archive: a file path, or a connection string to a schema of its own.</summary>
    protected string Target { get; private set; } = "";

    [OneTimeSetUp]
    public Task SetUpEngine() => engine.OneTimeSetUpAsync();

    [SetUp]
    public async Task CreateLocation()
    {
        Directory = Path.Combine(Path.GetTempPath(), "archive-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Target = await engine.NewTargetAsync(Directory);
    }

    [TearDown]
    public async Task DeleteLocation()
    {
        foreach (var archive in _opened)
            await archive.DisposeAsync();
        _opened.Clear();
        // SQLite connections are not pooled by the archive; raw test connections are cleared here.
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    protected async Task<IArchiveStore> OpenAsync(string? target = null, int queueCapacity = 8192, int? schemaVersion = null,
        Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        var archive = await engine.OpenAsync(target ?? Target, queueCapacity, schemaVersion, logger);
        _opened.Add(archive);
        return archive;
    }

    /// <summary>
    /// Occupies the archive's writer with an operation that waits for the returned gate: what is
    /// queued meanwhile forms the next batch. Set the gate, then await the blocker.
    /// </summary>
    protected static async Task<(Task Blocker, ManualResetEventSlim Gate)> HoldWriterAsync(IArchiveStore archive)
    {
        using var entered = new SemaphoreSlim(0);
        var gate = new ManualResetEventSlim();
        var blocker = ((IGroupCommitted)archive).Writes.RunAsync(() => { entered.Release(); gate.Wait(); return 0; }, CancellationToken.None);
        await entered.WaitAsync();
        return (blocker, gate);
    }
}
