using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using XmppGroupChat.Archive;

namespace XmppGroupChat.Benchmarks;

/// <summary>
/// One MAM page of 50 from a room with 1,000,000 archived messages (<see cref="MamArchiveFile"/>), per engine,
/// including the count, first index and parsing the 50 stanzas into XElements: everything a MAM
/// handler needs before it writes the results. The file is warm in the OS cache (it is queried in
/// setup), as the pages of a busy room would be.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class MamQueryBenchmarks
{
    private const int PageSize = 50;

    private sealed class Config : BenchmarkDotNet.Configs.ManualConfig
    {
        public Config() => AddJob(Job.Default
            .WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10)
            .WithToolchain(InProcessEmitToolchain.Instance));
    }

    [ParamsSource(nameof(Storages))]
    public string Storage { get; set; } = "";

    public static IEnumerable<string> Storages => ArchiveBenchEngines.Engines;

    private IArchiveStore _archive = null!;
    private MamArchiveFile.Built _file = null!;

    [GlobalSetup]
    public void Setup()
    {
        _file = MamArchiveFile.Get(Storage);
        _archive = ArchiveBenchEngines.Open(Storage, _file.Target);
        Describe("AfterMidArchive", AfterMidArchive().GetAwaiter().GetResult());
        Describe("LastPage", LastPage().GetAwaiter().GetResult());
        Describe("WithSenderAfterMidArchive", WithSenderAfterMidArchive().GetAwaiter().GetResult());
        Describe("WithSenderLastPage", WithSenderLastPage().GetAwaiter().GetResult());
        Describe("TimeRangeFirstPage", TimeRangeFirstPage().GetAwaiter().GetResult());
    }

    private void Describe(string name, ArchivePage page)
    {
        if (page.Messages.Count != PageSize)
            throw new InvalidOperationException($"{name}: {page.Messages.Count} messages, expected {PageSize}");
        Console.WriteLine($"// {Storage} {name}: {page.Messages.Count} messages, count {page.Count:N0}, first index {page.FirstIndex:N0}, complete {page.Complete}");
    }

    [GlobalCleanup]
    public void Cleanup() => _archive.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public Task<ArchivePage> AfterMidArchive() =>
        _archive.QueryAsync(MamArchiveFile.Room, new ArchiveQuery(After: _file.MidId, Max: PageSize));

    [Benchmark]
    public Task<ArchivePage> LastPage() =>
        _archive.QueryAsync(MamArchiveFile.Room, new ArchiveQuery(Before: "", Max: PageSize));

    [Benchmark]
    public Task<ArchivePage> WithSenderAfterMidArchive() =>
        _archive.QueryAsync(MamArchiveFile.Room, new ArchiveQuery(With: MamArchiveFile.Sender, After: _file.SenderMidId, Max: PageSize));

    [Benchmark]
    public Task<ArchivePage> WithSenderLastPage() =>
        _archive.QueryAsync(MamArchiveFile.Room, new ArchiveQuery(With: MamArchiveFile.Sender, Before: "", Max: PageSize));

    [Benchmark]
    public Task<ArchivePage> TimeRangeFirstPage() =>
        _archive.QueryAsync(MamArchiveFile.Room, new ArchiveQuery(Start: _file.MidStamp, End: _file.MidStamp.AddSeconds(2), Max: PageSize));
}
