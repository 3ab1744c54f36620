using Microsoft.Extensions.Configuration;
using XmppGroupChat.Component;

namespace XmppGroupChat.Mix.Dmuc;

/// <summary>A DMUC2 replica this room host trusts: its component domain, and the one user domain it may vouch for.</summary>
public sealed record TrustedReplica(string Domain, string Serves);

/// <summary>
/// The primary's DMUC2 configuration: Dmuc:Replicas:N:Domain and Dmuc:Replicas:N:Serves (the
/// allow-list: a replica domain and the user domain it serves), Dmuc:KeepaliveSeconds (default 30:
/// how long without a word from a replica before pinging it, and how long a ping may take), and
/// Dmuc:MarkSplitUsersAway (default true: a split replica's users are shown to the others as xa, "netsplit").
/// </summary>
public sealed record DmucSettings(IReadOnlyList<TrustedReplica> Replicas, TimeSpan Keepalive, bool MarkSplitUsersAway)
{
    public const int DefaultKeepaliveSeconds = 30;

    public static DmucSettings None { get; } = new([], TimeSpan.FromSeconds(DefaultKeepaliveSeconds), true);

    /// <summary>While a replica is split, it is pinged this often.</summary>
    public TimeSpan SplitRetry => Keepalive / 3;

    public TimeSpan Tick => TimeSpan.FromMilliseconds(Math.Max(200, SplitRetry.TotalMilliseconds / 2));

    public TrustedReplica? Find(string domain) =>
        Replicas.FirstOrDefault(r => string.Equals(r.Domain, domain, StringComparison.OrdinalIgnoreCase));

    public static DmucSettings Read(IConfiguration config)
    {
        var replicas = new List<TrustedReplica>();
        foreach (var entry in config.GetSection("Dmuc:Replicas").GetChildren())
        {
            var domain = entry["Domain"];
            var serves = entry["Serves"];
            if (string.IsNullOrWhiteSpace(domain) || string.IsNullOrWhiteSpace(serves))
                throw new ComponentConfigurationException($"{entry.Path} needs both Domain (the replica's component domain) and Serves (the user domain it vouches for).");
            replicas.Add(new TrustedReplica(domain.Trim().ToLowerInvariant(), serves.Trim().ToLowerInvariant()));
        }
        var keepalive = DefaultKeepaliveSeconds;
        if (config["Dmuc:KeepaliveSeconds"] is { Length: > 0 } k && (!int.TryParse(k, out keepalive) || keepalive <= 0))
            throw new ComponentConfigurationException($"Dmuc:KeepaliveSeconds must be a positive whole number of seconds (got '{k}').");
        var away = true;
        if (config["Dmuc:MarkSplitUsersAway"] is { Length: > 0 } a && !bool.TryParse(a, out away))
            throw new ComponentConfigurationException($"Dmuc:MarkSplitUsersAway must be true or false (got '{a}').");
        return new DmucSettings(replicas, TimeSpan.FromSeconds(keepalive), away);
    }
}
