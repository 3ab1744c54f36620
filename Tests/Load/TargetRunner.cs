using XmppGroupChat.Tests.Integration.Infrastructure;
using System.Diagnostics;
using XmppGroupChat.Component;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Load;

/// <summary>
/// Measures one target on one running server: occupants join, one probe message must reach them
/// all, then the saturated rate (bounded in flight) and latency at half of it (or at --rate).
/// </summary>
public static class TargetRunner
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    public static async Task<TargetResult> RunAsync(XmppServer server, TargetKind kind, LoadOptions o, CancellationToken ct)
    {
        var result = new TargetResult(server.Kind, kind);
        await using var target = LoadTarget.Create(kind, o);
        try
        {
            await target.StartAsync(server, ct);
        }
        catch (TargetUnavailableException ex)
        {
            return result with { Unavailable = ex.Message };
        }

        var board = new Scoreboard();
        LoadRoom room;
        try
        {
            room = await LoadRoom.JoinAsync(server.C2sPort, target.Room, o.Occupants, o.Senders, board, ct);
        }
        catch (Exception ex) when (kind == TargetKind.Component && ex is JoinFailedException or TimeoutException or IOException)
        {
            return result with { Unavailable = $"joining {target.Room} failed: {ex.Message}" };
        }
        Say($"{o.Occupants} occupants joined {target.Room}");

        await using (room)
        {
            if (!await ProbeAsync(room, board, ct))
            {
                const string reason = "a groupchat message to the room did not reach every occupant";
                if (kind == TargetKind.Component) return result with { Unavailable = reason };
                throw new InvalidOperationException($"{target.Room}: {reason}");
            }
            if (room.Senders[0].LastLoadMessage is { } copy)
                Say($"a copy as occupants get it: {StanzaSerializer.ToXmlString(copy, Ns.Client)}");
            var component = target.ComponentPid is { } pid ? new[] { pid } : [];
            var serverPids = server.ProcessIds(component);

            if (o.Rate is { } fixedRate)
            {
                var only = await MeasureAsync(room, board, o, component, serverPids, true,
                    (p, until) => LoadSenders.PaceAsync(room, p, fixedRate, until, ct), ct);
                Say($"{Label(result)} at {fixedRate} msgs/s offered", only);
                return result with { Paced = only };
            }
            var saturation = await MeasureAsync(room, board, o, component, serverPids, false,
                (p, until) => LoadSenders.SaturateAsync(room, p, o.Window, until, ct), ct);
            Say($"{Label(result)} saturation (window {o.Window})", saturation);
            var half = saturation.DeliveredPerSecond / o.Occupants / 2;
            var paced = await MeasureAsync(room, board, o, component, serverPids, true,
                (p, until) => LoadSenders.PaceAsync(room, p, half, until, ct), ct);
            Say($"{Label(result)} half load ({half:0} msgs/s offered)", paced);
            return result with { Saturation = saturation, Paced = paced };
        }
    }

    // One message must reach every occupant before anything is measured: this is the check that
    // the room really fans out (and, for our MUC face, that it is ready at all).
    private static async Task<bool> ProbeAsync(LoadRoom room, Scoreboard board, CancellationToken ct)
    {
        var probe = new Phase(room.Occupants);
        board.Current = probe;
        probe.CountSent();
        room.Senders[0].SendGroupchat(room.Room.ToString(), Marker.Body(probe.Id, Stopwatch.GetTimestamp()));
        var ok = await probe.WaitDeliveredAsync(ProbeTimeout, ct) && probe.Errors == 0;
        board.Current = null;
        return ok;
    }

    private static async Task<PhaseResult> MeasureAsync(LoadRoom room, Scoreboard board, LoadOptions o, int[] component,
        IReadOnlyList<int> serverPids, bool recordLatency, Func<Phase, long, Task> send, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        var windowStart = start + Ticks(o.Warmup);
        var windowEnd = windowStart + Ticks(o.Measure);
        var phase = recordLatency ? new Phase(room.Occupants, windowStart, windowEnd) : new Phase(room.Occupants);
        room.ReadInBatches(true, exceptLatencySample: recordLatency);
        board.Current = phase;
        var sending = send(phase, windowEnd);

        await DelayUntil(windowStart, ct);
        var (delivered0, sent0, t0) = (phase.Delivered, phase.Sent, Stopwatch.GetTimestamp());
        var componentCpu = CpuWindow.Of(component);
        var serverCpu = CpuWindow.Of(serverPids);
        var driverCpu = CpuWindow.Of([Environment.ProcessId])!;
        var machineCpu = CpuWindow.Machine();
        await DelayUntil(windowEnd, ct);
        var (delivered1, sent1, t1) = (phase.Delivered, phase.Sent, Stopwatch.GetTimestamp());
        var (componentCores, serverCores, driverCores) = (componentCpu?.Cores(), serverCpu?.Cores(), driverCpu.Cores());
        // Whatever else ran on the machine in the window: a measurement next to a busy neighbour is worth less.
        var otherCores = Math.Max(0, machineCpu.Cores() - (componentCores ?? 0) - (serverCores ?? 0) - driverCores);

        await sending;
        await phase.WaitDeliveredAsync(DrainTimeout, ct);
        board.Current = null;
        room.ReadInBatches(false);

        var seconds = Stopwatch.GetElapsedTime(t0, t1).TotalSeconds;
        var latencies = phase.SortedLatencies();
        return new PhaseResult
        {
            OfferedPerSecond = (sent1 - sent0) / seconds,
            DeliveredPerSecond = (delivered1 - delivered0) / seconds,
            Sent = phase.Sent,
            Missing = phase.Sent * room.Occupants - phase.Delivered,
            Errors = phase.Errors,
            ShortOccupants = room.ShortOccupants(phase, phase.Sent),
            BytesPerCopy = phase.BytesPerCopy,
            LatencySamples = latencies.Length,
            P50Ms = Percentile(latencies, 0.50),
            P99Ms = Percentile(latencies, 0.99),
            ComponentCores = componentCores,
            ServerCores = serverCores,
            DriverCores = driverCores,
            OtherCores = otherCores,
        };
    }

    private static long Ticks(TimeSpan t) => (long)(t.TotalSeconds * Stopwatch.Frequency);

    private static async Task DelayUntil(long timestamp, CancellationToken ct)
    {
        var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        if (left > TimeSpan.Zero) await Task.Delay(left, ct);
    }

    // Nearest rank, in milliseconds.
    private static double? Percentile(int[] sortedMicros, double p) => sortedMicros.Length == 0
        ? null
        : sortedMicros[Math.Clamp((int)Math.Ceiling(p * sortedMicros.Length) - 1, 0, sortedMicros.Length - 1)] / 1000.0;

    private static string Label(TargetResult r) => $"{r.Server.ToString().ToLowerInvariant()}/{LoadTarget.Name(r.Target)}";

    private static void Say(string text) => Console.WriteLine($"[load] {text}");

    private static void Say(string what, PhaseResult r) => Say(
        $"{what}: {r.DeliveredPerSecond:0} delivered msgs/s ({r.OfferedPerSecond:0.0} sent/s, {r.BytesPerCopy:0} B per copy), missing {r.Missing}, short occupants {r.ShortOccupants}, errors {r.Errors}" +
        (r.P50Ms is { } p50 ? $", p50 {p50:0.00} ms, p99 {r.P99Ms:0.00} ms ({r.LatencySamples} samples)" : "") +
        $", CPU: component {Cores(r.ComponentCores)}, server {Cores(r.ServerCores)}, driver {r.DriverCores:0.00}, other {r.OtherCores:0.00}");

    private static string Cores(double? c) => c is { } v ? v.ToString("0.00") : "-";
}
