using System.Diagnostics;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Archive;

// migrate-archive: copies a whole archive from one engine to another (see README, "Moving an
// archive to another engine"). The copy is resumable: run the same command again after an
// interruption. Exit code 0 when the copy was verified, 1 when it failed or the counts differ, 2 on
// a usage error.
const string Usage = """
    usage: migrate-archive --from ENGINE:LOCATION --to ENGINE:LOCATION
      ENGINE:LOCATION is litedb:PATH, sqlite:PATH or postgresql:CONNECTION-STRING, for example
        --from sqlite:data/mix/archive.db
        --to "postgresql:Host=db.example.org;Database=mix;Username=mix;Password=..."
    Stop the program that owns the source first. Running the command again resumes an interrupted copy.
    """;

string? from = null, to = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--from" when i + 1 < args.Length: from = args[++i]; break;
        case "--to" when i + 1 < args.Length: to = args[++i]; break;
        case "-h" or "--help": Console.WriteLine(Usage); return 0;
        default:
            Console.Error.WriteLine($"migrate-archive: unexpected argument '{args[i]}'\n{Usage}");
            return 2;
    }
}
ArchiveLocation source, target;
try
{
    source = ArchiveLocation.Parse(from ?? throw new FormatException("--from is missing."));
    target = ArchiveLocation.Parse(to ?? throw new FormatException("--to is missing."));
}
catch (FormatException e)
{
    Console.Error.WriteLine($"migrate-archive: {e.Message}\n{Usage}");
    return 2;
}
if (source.Engine != ArchiveEngine.PostgreSql && !File.Exists(source.Target))
{
    Console.Error.WriteLine($"migrate-archive: the source {source.Target} does not exist.");
    return 2;
}
if (source == target)
{
    Console.Error.WriteLine("migrate-archive: --from and --to name the same archive.");
    return 2;
}

using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.UseUtcTimestamp = true;
    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
}).SetMinimumLevel(LogLevel.Information));
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    Console.Error.WriteLine("migrate-archive: stopping after the current batch; run the command again to resume.");
    stop.Cancel();
};

try
{
    Console.WriteLine($"migrate-archive: copying {source} to {target}");
    await using var fromArchive = await ArchiveEngines.OpenAsync(source, loggers, stop.Token);
    await using var toArchive = await ArchiveEngines.OpenAsync(target, loggers, stop.Token);
    var clock = Stopwatch.StartNew();
    var lastPrinted = TimeSpan.MinValue;
    var progress = new SynchronousProgress(p =>
    {
        // A line per stage and per archive, and at most one a second while an archive is copied.
        var done = p.Copied == p.Total;
        if (p.Archive is not null && !done && p.Copied != 0 && clock.Elapsed - lastPrinted < TimeSpan.FromSeconds(1))
            return;
        lastPrinted = clock.Elapsed;
        Console.WriteLine(p.Archive is null
            ? $"migrate-archive: {p.Stage}: {p.Total}"
            : $"migrate-archive: {p.Stage} of {p.Archive}: {p.Copied:N0} of {p.Total:N0}");
    });
    var report = await ArchiveCopier.CopyAsync(fromArchive, toArchive, progress, stop.Token);
    Console.WriteLine($"migrate-archive: {report.Archives.Count} archives ({report.Messages:N0} messages), {report.Rooms} rooms, " +
                      $"{report.Nicks} nicks, {report.RelayRooms} relayed rooms in {clock.Elapsed.TotalSeconds:F1} s");
    if (!report.Verified)
    {
        foreach (var mismatch in report.Mismatches)
            Console.Error.WriteLine($"migrate-archive: check failed: {mismatch}");
        return 1;
    }
    Console.WriteLine("migrate-archive: verified: every archive has as many messages in the target as in the source, ending with the same message.");
    return 0;
}
catch (OperationCanceledException)
{
    return 1;
}
catch (Exception e) when (e is ArchiveOpenException or ArchiveUnavailableException or InvalidOperationException or NickTakenException)
{
    Console.Error.WriteLine($"migrate-archive: {e.Message}");
    return 1;
}

/// <summary>Reports on the copier's own thread, in order (Progress&lt;T&gt; would post to the thread pool and could reorder lines).</summary>
internal sealed class SynchronousProgress(Action<ArchiveCopyProgress> report) : IProgress<ArchiveCopyProgress>
{
    public void Report(ArchiveCopyProgress value) => report(value);
}
