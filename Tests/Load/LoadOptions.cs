using System.Globalization;
using XmppGroupChat.Tests.Integration.Infrastructure;

namespace XmppGroupChat.Load;

/// <summary>What is measured: the server's own MUC, the component-path ceiling, or our MUC face.</summary>
public enum TargetKind { Ceiling, ServerMuc, Component }

/// <summary>The command line of the load driver.</summary>
public sealed record LoadOptions
{
    public const string Usage = """
        usage: dotnet run -c Release --project Tests/Load -- --server prosody|ejabberd --target servermuc|ceiling|component
                   [--occupants 100] [--seconds 20] [--rate N] [--senders 4] [--window 64]
               dotnet run -c Release --project Tests/Load -- --all [--occupants 100] [--seconds 15]
          --rate N     offer N groupchat messages/s and measure only that (default: find the saturated
                       rate with a bounded number in flight, then measure latency at half of it)
          --senders N  occupants that send (default 4); every occupant receives
          --window N   messages in flight at saturation, across all senders (default 64)
          --ceiling-ids  the ceiling's copies also carry an id, stanza-id and occupant-id, like a MUC room's
        """;

    public IReadOnlyList<ServerKind> Servers { get; init; } = [];
    /// <summary>In run order: the ceiling first, so the other rows can be expressed as a share of it.</summary>
    public IReadOnlyList<TargetKind> Targets { get; init; } = [];
    public int Occupants { get; init; } = 100;
    public TimeSpan Measure { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary>Sent before each measured window and not counted: connections and JIT settle.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);
    public double? Rate { get; init; }
    public int Senders { get; init; } = 4;
    public int Window { get; init; } = 64;
    public bool All { get; init; }
    /// <summary>The ceiling's copies carry a MUC room's ids, so they have the shape of our face's copies.</summary>
    public bool CeilingMucIds { get; init; }

    /// <summary>A hard cap on the whole run, so a stuck server cannot keep the machine busy.</summary>
    public TimeSpan Deadline => TimeSpan.FromMinutes(2) + Servers.Count *
        (TimeSpan.FromSeconds(60) + Targets.Count * (2 * (Measure + Warmup) + TimeSpan.FromSeconds(100)));

    public static LoadOptions Parse(string[] args)
    {
        string? server = null, target = null;
        int? seconds = null;
        var o = new LoadOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--all": o = o with { All = true }; break;
                case "--ceiling-ids": o = o with { CeilingMucIds = true }; break;
                case "--server": server = Value(); break;
                case "--target": target = Value(); break;
                // 200: ejabberd's default room size limit (mod_muc max_users).
                case "--occupants": o = o with { Occupants = Int(Value(), "--occupants", 2, 200) }; break;
                case "--seconds": seconds = Int(Value(), "--seconds", 3, 120); break;
                case "--rate": o = o with { Rate = Int(Value(), "--rate", 1, 100_000) }; break;
                case "--senders": o = o with { Senders = Int(Value(), "--senders", 1, 50) }; break;
                case "--window": o = o with { Window = Int(Value(), "--window", 1, 10_000) }; break;
                default: throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }
        if (o.Senders > o.Occupants) throw new ArgumentException("--senders cannot exceed --occupants");
        if (o.All)
        {
            if (server != null || target != null) throw new ArgumentException("--all runs every server and target; drop --server/--target");
            return o with
            {
                Servers = [ServerKind.Prosody, ServerKind.Ejabberd],
                Targets = [TargetKind.Ceiling, TargetKind.ServerMuc, TargetKind.Component],
                Measure = TimeSpan.FromSeconds(seconds ?? 15),
            };
        }
        if (server is null || target is null) throw new ArgumentException("give --server and --target, or --all");
        return o with
        {
            Servers = [server switch
            {
                "prosody" => ServerKind.Prosody,
                "ejabberd" => ServerKind.Ejabberd,
                _ => throw new ArgumentException($"--server must be prosody or ejabberd (got '{server}')"),
            }],
            Targets = [target switch
            {
                "servermuc" => TargetKind.ServerMuc,
                "ceiling" => TargetKind.Ceiling,
                "component" => TargetKind.Component,
                _ => throw new ArgumentException($"--target must be servermuc, ceiling or component (got '{target}')"),
            }],
            Measure = TimeSpan.FromSeconds(seconds ?? 20),
        };
    }

    private static int Int(string text, string name, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw new ArgumentException($"{name} must be a whole number from {min} to {max} (got '{text}')");
}
