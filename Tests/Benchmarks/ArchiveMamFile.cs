using System.Diagnostics;
using XmppGroupChat.Archive;

namespace XmppGroupChat.Benchmarks;

/// <summary>
/// A 1,000,000-message archive per engine for <see cref="MamQueryBenchmarks"/> and
/// <see cref="ArchiveOpenBenchmarks"/>, built once per process and engine (every benchmark case reuses it) through the public AppendAsync with thousands of appends
/// in flight, and deleted when the process exits. Every tenth append goes to another room, so the
/// room's rows are not contiguous in the table, as in a real multi-room service.
/// </summary>
public static class MamArchiveFile
{
    public const string Room = "big@mix.localhost";
    public const int Messages = 1_000_000;
    public const string Sender = "user7@example.org";

    public sealed record Built(string Storage, string Target, string MidId, string SenderMidId, DateTimeOffset MidStamp, TimeSpan BuildTime, long Bytes);

    private static readonly Dictionary<string, Built> Instances = [];

    public static Built Get(string storage)
    {
        lock (Instances)
        {
            if (!Instances.TryGetValue(storage, out var built))
                Instances.Add(storage, built = Build(storage));
            return built;
        }
    }

    private static Built Build(string storage)
    {
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mam-bench-" + Guid.NewGuid().ToString("N"));
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        };
        Directory.CreateDirectory(directory);
        var target = ArchiveBenchEngines.NewTarget(storage, directory);
        var drafts = ArchiveMessages.Build(20_000, Room);
        var clock = Stopwatch.StartNew();
        string? midId = null, senderMidId = null;
        var midStamp = default(DateTimeOffset);

        var archive = ArchiveBenchEngines.Open(storage, target);
        try
        {
            const int window = 8192;
            var inFlight = new Queue<(int Index, Task<ArchivedMessage> Task)>(window);
            var roomMessages = 0;
            for (var i = 0; roomMessages < Messages; i++)
            {
                var draft = drafts[i % drafts.Length];
                var toRoom = i % 10 != 9;
                var task = archive.AppendAsync(toRoom ? Room : "noise@mix.localhost", draft).AsTask();
                if (toRoom)
                {
                    roomMessages++;
                    // The ids taken as "mid-archive" anchors; the benchmark reports the exact first index.
                    if (roomMessages >= Messages / 2 && (midId is null || (senderMidId is null && draft.SenderBareJid == Sender)))
                        inFlight.Enqueue((roomMessages, task));
                    else
                        inFlight.Enqueue((-1, task));
                }
                else
                {
                    inFlight.Enqueue((-1, task));
                }
                if (inFlight.Count >= window)
                    Settle(inFlight.Dequeue());
            }
            while (inFlight.Count > 0)
                Settle(inFlight.Dequeue());
        }
        finally
        {
            archive.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        clock.Stop();
        var bytes = ArchiveBenchEngines.Size(storage, target);
        Console.WriteLine($"// {storage}: built {Messages:N0}-message archive (+{Messages / 9:N0} in another room) in {clock.Elapsed.TotalSeconds:F1} s, " +
                          $"{bytes / 1e6:F0} MB on disk ({bytes / 1e6 * 1e6 / (Messages + Messages / 9):F0} MB per million messages)");
        return new Built(storage, target, midId!, senderMidId!, midStamp, clock.Elapsed, bytes);

        void Settle((int Index, Task<ArchivedMessage> Task) entry)
        {
            var message = entry.Task.GetAwaiter().GetResult();
            if (entry.Index < 0)
                return;
            if (midId is null)
            {
                midId = message.Id;
                midStamp = message.Stamp;
            }
            if (senderMidId is null && message.SenderBareJid == Sender)
                senderMidId = message.Id;
        }
    }
}
