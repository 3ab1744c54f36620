using System.Globalization;
using System.Text;

namespace XmppGroupChat.Load;

/// <summary>The markdown tables for docs/perf.md: one per server, one row per target.</summary>
public static class ReportTable
{
    public static string Markdown(IReadOnlyList<TargetResult> results, LoadOptions o)
    {
        var s = new StringBuilder();
        foreach (var server in results.GroupBy(r => r.Server))
        {
            var ceiling = server.FirstOrDefault(r => r.Target == TargetKind.Ceiling);
            var reference = Headline(ceiling);
            s.AppendLine($"**{server.Key}**, {o.Occupants} occupants, {o.Senders} senders");
            s.AppendLine();
            s.AppendLine(o.Rate is { } rate
                ? $"| Target | Delivered msgs/s at {rate} msgs/s sent | % of ceiling | p50 / p99 latency | Component CPU | Server CPU | Driver / rest of machine CPU | Bytes per copy | Check |"
                : "| Target | Delivered msgs/s (saturation) | % of ceiling | p50 / p99 at half load | Component CPU, saturation / half load | Server CPU, saturation | Driver / rest of machine CPU, saturation | Bytes per copy | Check |");
            s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
            foreach (var r in server)
            {
                var name = $"`{LoadTarget.Name(r.Target)}`" + (r.Target == TargetKind.Ceiling && o.CeilingMucIds ? " (with MUC ids)" : "");
                if (r.Unavailable != null || r.Failed != null)
                {
                    var why = r.Unavailable != null ? $"not available: {r.Unavailable}" : $"failed: {r.Failed}";
                    s.AppendLine($"| {name} | {Escape(why)} | | | | | | | |");
                    continue;
                }
                var head = o.Rate is null ? r.Saturation! : r.Paced!;
                var share = reference is { } c && r.Target != TargetKind.Ceiling ? $"{100 * head.DeliveredPerSecond / c:0}%" : "";
                var latency = r.Paced is { P50Ms: { } p50, P99Ms: { } p99 } ? $"{p50:0.0} / {p99:0.0} ms" : "";
                var componentCpu = o.Rate is null
                    ? Join(Cpu(r.Saturation!.ComponentCores, r.Saturation.DeliveredPerSecond), Cpu(r.Paced?.ComponentCores, r.Paced?.DeliveredPerSecond))
                    : Cpu(head.ComponentCores, head.DeliveredPerSecond);
                s.AppendLine($"| {name} | {head.DeliveredPerSecond.ToString("N0", CultureInfo.InvariantCulture)} | {share} | {latency} | " +
                             $"{componentCpu} | {Cores(head.ServerCores)} | {Cores(head.DriverCores)} / {Cores(head.OtherCores)} | {head.BytesPerCopy:0} | {Check(r)} |");
            }
            s.AppendLine();
        }
        return s.ToString();
    }

    private static double? Headline(TargetResult? r) => (r?.Saturation ?? r?.Paced)?.DeliveredPerSecond;

    // Cores, and the component's CPU time per delivered copy.
    private static string Cpu(double? cores, double? delivered) => cores is { } c
        ? delivered is > 0 ? $"{c:0.00} ({c * 1e6 / delivered.Value:0.0} µs/msg)" : $"{c:0.00}"
        : "";

    private static string Join(string a, string b) => a == "" ? "" : b == "" ? a : $"{a} / {b}";

    private static string Cores(double? c) => c is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "";

    private static string Check(TargetResult r)
    {
        var phases = new[] { r.Saturation, r.Paced }.OfType<PhaseResult>().ToArray();
        var missing = phases.Sum(p => p.Missing);
        var errors = phases.Sum(p => p.Errors);
        var shortOccupants = phases.Max(p => p.ShortOccupants);
        return missing == 0 && errors == 0 && shortOccupants == 0
            ? $"all {phases.Sum(p => p.Sent):N0} messages reached every occupant"
            : $"{missing:N0} copies missing, {shortOccupants} occupants short, {errors:N0} errors";
    }

    private static string Escape(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}
