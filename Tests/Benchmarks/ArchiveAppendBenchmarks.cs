using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using XmppGroupChat.Archive;
using XmppGroupChat.Component;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Benchmarks;

/// <summary>
/// Appends per second into each archive engine (group commit; <see cref="ArchiveBenchEngines"/>). <c>Concurrent</c> starts
/// 20,000 appends at once (8 rooms) and awaits them all, as a busy service would; <c>OneAtATime</c>
/// awaits each append before the next, so every append is its own commit (what group commit saves).
/// Results are per append (OperationsPerInvoke); appends/s = 1 / mean. The file grows across
/// iterations (about 300,000 messages by the end), in a temporary directory deleted afterwards.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class ArchiveAppendBenchmarks
{
    public const int Concurrent = 20_000;
    public const int Sequential = 1_000;
    private const int Rooms = 8;

    private sealed class Config : BenchmarkDotNet.Configs.ManualConfig
    {
        // One invocation per iteration: each invocation is already 20,000 appends.
        public Config() => AddJob(Job.Default
            .WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10)
            .WithInvocationCount(1).WithUnrollFactor(1)
            .WithToolchain(InProcessEmitToolchain.Instance));
    }

    /// <summary>The engine and durability (see <see cref="ArchiveBenchEngines"/>): -fsync survives power loss, the others kill -9.</summary>
    [ParamsSource(nameof(Storages))]
    public string Storage { get; set; } = "";

    public static IEnumerable<string> Storages => ArchiveBenchEngines.Storages;

    private string _directory = "";
    private IArchiveStore _archive = null!;
    private MessageDraft[] _drafts = [];
    private readonly Task<ArchivedMessage>[] _tasks = new Task<ArchivedMessage>[Concurrent];

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "archive-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _archive = ArchiveBenchEngines.Open(Storage, ArchiveBenchEngines.NewTarget(Storage, _directory));
        _drafts = ArchiveMessages.Build(Concurrent, "room@mix.localhost");
        var bytes = _drafts.Sum(d => (long)StanzaSerializer.ToUtf8(d.Stanza, Ns.Component).Length);
        Console.WriteLine($"// {Concurrent} drafts, {(double)bytes / Concurrent:F1} bytes/stanza stored");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var stats = _archive.WriteStats;
        Console.WriteLine($"// writer: {stats.Writes} appends in {stats.Batches} commits, mean batch {stats.MeanBatch:F1}");
        _archive.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Concurrent)]
    public async Task<int> AppendConcurrent()
    {
        for (var i = 0; i < Concurrent; i++)
            _tasks[i] = _archive.AppendAsync($"room{i % Rooms}@mix.localhost", _drafts[i]).AsTask();
        await Task.WhenAll(_tasks);
        return _tasks.Length;
    }

    [Benchmark(OperationsPerInvoke = Sequential)]
    public async Task<int> AppendOneAtATime()
    {
        for (var i = 0; i < Sequential; i++)
            await _archive.AppendAsync("room0@mix.localhost", _drafts[i]);
        return Sequential;
    }
}
