using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using XmppGroupChat.Archive;
using static XmppGroupChat.Tests.Unit.Archive.ArchiveSamples;

namespace XmppGroupChat.Tests.Unit.Archive;

/// <summary>
/// What only the SQLite file has: WAL mode, a copy of the file and its WAL as kill -9 leaves them,
/// a second connection to the same file, and the options' checks. The contract every engine keeps is
/// in the *Contract classes.
/// </summary>
[TestFixture]
public sealed class SqliteArchiveFileTests
{
    private readonly List<SqliteArchive> _opened = [];
    private string _directory = "";

    private string DbPath => Path.Combine(_directory, "archive.db");

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "sqlite-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public async Task DeleteDirectory()
    {
        foreach (var archive in _opened)
            await archive.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<SqliteArchive> OpenAsync(string? path = null)
    {
        var archive = await SqliteArchive.OpenAsync(path ?? DbPath, NullLogger.Instance);
        _opened.Add(archive);
        return archive;
    }

    [Test]
    public async Task The_file_is_in_wal_mode_at_the_current_schema_and_closing_removes_the_wal()
    {
        var archive = await OpenAsync();
        await archive.AppendAsync(Room, Draft(1));
        await archive.DisposeAsync();
        Assert.That(File.Exists(DbPath + "-wal"), Is.False, "closing checkpoints and removes the WAL");
        using var raw = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DbPath, Pooling = false }.ToString());
        raw.Open();
        using var command = raw.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        Assert.That(command.ExecuteScalar(), Is.EqualTo(3L));
        command.CommandText = "PRAGMA journal_mode";
        Assert.That(command.ExecuteScalar(), Is.EqualTo("wal"));
    }

    [Test]
    public async Task A_copy_of_the_database_and_its_wal_taken_while_open_holds_every_acknowledged_write()
    {
        var first = await OpenAsync();
        var messages = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => first.AppendAsync(Room, Draft(i)).AsTask()));
        Assert.That(File.Exists(DbPath + "-wal"), Is.True);

        // What kill -9 leaves on disk: the main file and the WAL as they are (the -shm index is
        // rebuilt from the WAL by the next opener, so it is not copied).
        var crashed = Path.Combine(_directory, "crashed");
        Directory.CreateDirectory(crashed);
        var copy = Path.Combine(crashed, "archive.db");
        File.Copy(DbPath, copy);
        File.Copy(DbPath + "-wal", copy + "-wal");

        var recovered = await OpenAsync(copy);
        Assert.That(Ids(await ReadAllAsync(recovered, Room)), Is.EquivalentTo(Ids(messages)));
    }

    [Test]
    public async Task Two_archives_writing_one_file_keep_positions_dense_and_stamps_ordered()
    {
        // Not a supported set-up, but a second writer (a mistaken second instance) must not corrupt
        // counts: the writer notices foreign commits (data_version) and reloads what it cached.
        var first = await OpenAsync();
        var second = await OpenAsync();
        var ids = new List<string>();
        foreach (var (archive, n) in new[] { (first, 3), (second, 2), (first, 2), (second, 1) })
            ids.AddRange(Ids(await AppendSequentiallyAsync(archive, Room, n)));

        foreach (var archive in new[] { first, second })
        {
            var page = await archive.QueryAsync(Room, new ArchiveQuery(After: ids[3], Max: 2));
            Assert.That(Ids(page.Messages), Is.EqualTo(ids.Skip(4).Take(2)));
            Assert.That(page.Count, Is.EqualTo(8));
            Assert.That(page.FirstIndex, Is.EqualTo(4));
            Assert.That((await ReadAllAsync(archive, Room)).Select(m => m.Stamp), Is.Ordered);
        }
    }

    [Test]
    public async Task Opening_creates_missing_directories()
    {
        var path = Path.Combine(_directory, "a", "b", "archive.db");
        var archive = await OpenAsync(path);
        await archive.AppendAsync(Room, Draft(1));
        Assert.That(File.Exists(path), Is.True);
    }

    [Test]
    public void Bad_arguments_are_refused_before_anything_is_queued()
    {
        Assert.That(async () => await SqliteArchive.OpenAsync("", NullLogger.Instance), Throws.InstanceOf<ArgumentException>());
        Assert.That(async () => await SqliteArchive.OpenAsync(DbPath, NullLogger.Instance, new SqliteArchiveOptions { MaxBatch = 0 }),
            Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
