using Microsoft.Extensions.Configuration;
using XmppGroupChat.Component;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>
/// The replica's configuration: Dmuc:KeepaliveSeconds (how long without a word from a primary
/// before pinging it, and how long a ping may take before the primary counts as split),
/// Replica:LocalChatDuringSplit (local users may go on talking among themselves during a netsplit)
/// and Replica:HistorySize (how many messages the replica asks for and keeps ready for entering users).
/// </summary>
public sealed record ReplicaSettings(TimeSpan Keepalive, bool LocalChatDuringSplit, int HistorySize, string ServedDomain)
{
    public const int DefaultKeepaliveSeconds = 30;
    public const int DefaultHistorySize = 50;

    /// <summary>While split, the primary is tried this often (a third of the keepalive time, as the primary does).</summary>
    public TimeSpan SplitRetry => Keepalive / 3;

    /// <summary>How often the keepalive loop looks at the rooms: fine enough to honour both intervals.</summary>
    public TimeSpan Tick => TimeSpan.FromMilliseconds(Math.Max(200, SplitRetry.TotalMilliseconds / 2));

    /// <param name="componentDomain">dmuc-replica.beta.test: the replica serves the users of beta.test.</param>
    public static ReplicaSettings Read(IConfiguration config, string componentDomain)
    {
        var keepalive = ReadInt(config, "Dmuc:KeepaliveSeconds") ?? DefaultKeepaliveSeconds;
        if (keepalive <= 0) throw new ComponentConfigurationException($"Dmuc:KeepaliveSeconds must be a positive number of seconds (got {keepalive}).");
        var history = ReadInt(config, "Replica:HistorySize") ?? DefaultHistorySize;
        if (history < 0) throw new ComponentConfigurationException($"Replica:HistorySize must not be negative (got {history}).");
        var localChat = config["Replica:LocalChatDuringSplit"] is { Length: > 0 } v
            ? bool.TryParse(v, out var b) ? b : throw new ComponentConfigurationException($"Replica:LocalChatDuringSplit must be true or false (got '{v}').")
            : false;
        var dot = componentDomain.IndexOf('.');
        return new ReplicaSettings(TimeSpan.FromSeconds(keepalive), localChat, history, dot > 0 ? componentDomain[(dot + 1)..] : componentDomain);
    }

    private static int? ReadInt(IConfiguration config, string key)
    {
        var v = config[key];
        if (string.IsNullOrEmpty(v)) return null;
        return int.TryParse(v, out var i) ? i : throw new ComponentConfigurationException($"{key} must be a whole number (got '{v}').");
    }
}
