using Microsoft.Extensions.Logging.Abstractions;
using XmppGroupChat.Archive;
using XmppGroupChat.Tests.Unit.Support;
using static XmppGroupChat.Tests.Unit.Archive.ArchiveSamples;

namespace XmppGroupChat.Tests.Unit.Archive;

/// <summary>What only the LiteDB file has: it is this process's alone, its log, and the options' checks.</summary>
[TestFixture]
public sealed class LiteDbArchiveFileTests
{
    private string _directory = "";

    private string DbPath => Path.Combine(_directory, "archive.litedb");

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "litedb-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task A_second_open_of_a_file_in_use_is_refused_with_a_log_line()
    {
        await using var first = await LiteDbArchive.OpenAsync(DbPath, NullLogger.Instance);
        await first.AppendAsync(Room, Draft(1));
        var logs = new RecordingLogger();
        var error = Assert.ThrowsAsync<ArchiveOpenException>(() => LiteDbArchive.OpenAsync(DbPath, logs));
        Assert.That(error!.Message, Does.Contain("another process"));
        Assert.That(logs.Messages(3007).Single(), Does.Contain(DbPath));
        Assert.That((await first.QueryAsync(Room, new ArchiveQuery())).Count, Is.EqualTo(1), "the first is undisturbed");
    }

    [Test]
    public async Task Closing_folds_the_log_into_the_file_and_opening_creates_missing_directories()
    {
        var path = Path.Combine(_directory, "a", "b", "archive.litedb");
        var archive = await LiteDbArchive.OpenAsync(path, NullLogger.Instance, new LiteDbArchiveOptions { SurvivePowerLoss = true });
        var message = await archive.AppendAsync(Room, Draft(1));
        Assert.That(File.Exists(LiteDbArchive.LogPath(path)), Is.True, "a commit is in the log before it is acknowledged");
        await archive.DisposeAsync();
        Assert.That(File.Exists(LiteDbArchive.LogPath(path)), Is.False);
        await using var again = await LiteDbArchive.OpenAsync(path, NullLogger.Instance);
        Assert.That(Ids((await again.QueryAsync(Room, new ArchiveQuery())).Messages), Is.EqualTo(new[] { message.Id }));
    }

    [Test]
    public void Bad_arguments_are_refused_before_anything_is_queued()
    {
        Assert.That(async () => await LiteDbArchive.OpenAsync("", NullLogger.Instance), Throws.InstanceOf<ArgumentException>());
        Assert.That(async () => await LiteDbArchive.OpenAsync(DbPath, NullLogger.Instance, new LiteDbArchiveOptions { QueueCapacity = 0 }),
            Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
