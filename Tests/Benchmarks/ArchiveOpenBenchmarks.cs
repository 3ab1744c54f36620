using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using XmppGroupChat.Archive;

namespace XmppGroupChat.Benchmarks;

/// <summary>
/// Opening a 1,000,000-message archive (<see cref="MamArchiveFile"/>) and reading its last page of
/// 50, then closing it: what a restart costs before the program can serve history. The files are
/// warm in the OS cache. SQLite and LiteDB open the file and check the schema; PostgreSQL connects
/// and checks the schema (the server itself keeps running).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class ArchiveOpenBenchmarks
{
    private sealed class Config : BenchmarkDotNet.Configs.ManualConfig
    {
        public Config() => AddJob(Job.Default
            .WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(10)
            .WithInvocationCount(1).WithUnrollFactor(1)
            .WithToolchain(InProcessEmitToolchain.Instance));
    }

    [ParamsSource(nameof(Storages))]
    public string Storage { get; set; } = "";

    public static IEnumerable<string> Storages => ArchiveBenchEngines.Engines;

    private MamArchiveFile.Built _file = null!;

    [GlobalSetup]
    public void Setup() => _file = MamArchiveFile.Get(Storage);

    [Benchmark]
    public async Task<int> OpenReadLastPageClose()
    {
        var archive = ArchiveBenchEngines.Open(Storage, _file.Target);
        await using (archive)
            return (await archive.QueryAsync(MamArchiveFile.Room, new ArchiveQuery(Before: "", Max: 50))).Messages.Count;
    }
}
