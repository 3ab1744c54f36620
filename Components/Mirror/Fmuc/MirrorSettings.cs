using Microsoft.Extensions.Configuration;
using XmppGroupChat.Component;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>
/// The mirror's policy. Mirror:FireAndForget (default false) sends room messages with
/// &lt;nomirror/&gt; and delivers them locally at once; Mirror:Rooms:&lt;room JID&gt;:FireAndForget
/// overrides it for one room. Mirror:HistorySize is how many messages per room the mirror keeps
/// for late joiners (default 50). Mirror:Users lists the user domains the mirror proxies for
/// (default the server's own domain, Component:Domain without its first label; "*" for anyone):
/// the master trusts the mirror's word about who a user is, so it must not proxy for strangers.
/// Mirror:RoomCheckSeconds (default 60, 0 for never) is how often the mirror self-pings each
/// room it has users in, to notice a master that restarted and forgot them (see <see cref="Recovery"/>).
/// </summary>
public sealed record MirrorSettings(
    bool FireAndForget,
    IReadOnlyDictionary<Jid, bool> RoomFireAndForget,
    int HistorySize,
    IReadOnlyList<string> Users,
    int RoomCheckSeconds = MirrorSettings.DefaultRoomCheckSeconds)
{
    public const int DefaultHistorySize = 50;
    public const int DefaultRoomCheckSeconds = 60;
    private const int MaxRoomCheckSeconds = 86400;
    private const int MaxHistorySize = 1000;

    public static MirrorSettings Read(IConfiguration config, string mirrorDomain)
    {
        var fireAndForget = ReadBool(config, "Mirror:FireAndForget") ?? false;

        var rooms = new Dictionary<Jid, bool>();
        foreach (var room in config.GetSection("Mirror:Rooms").GetChildren())
        {
            if (!Jid.TryParse(room.Key, out var jid) || jid.Local is null || !jid.IsBare)
                throw new ComponentConfigurationException($"Mirror:Rooms:{room.Key} must be named by a bare room JID (room@service).");
            if (ReadBool(room, "FireAndForget") is { } value) rooms[jid] = value;
        }

        var historySize = DefaultHistorySize;
        if (config["Mirror:HistorySize"] is { Length: > 0 } size &&
            (!int.TryParse(size, out historySize) || historySize < 0 || historySize > MaxHistorySize))
            throw new ComponentConfigurationException($"Mirror:HistorySize must be a whole number from 0 to {MaxHistorySize} (got '{size}').");

        var roomCheck = DefaultRoomCheckSeconds;
        if (config["Mirror:RoomCheckSeconds"] is { Length: > 0 } check &&
            (!int.TryParse(check, out roomCheck) || roomCheck < 0 || roomCheck > MaxRoomCheckSeconds))
            throw new ComponentConfigurationException($"Mirror:RoomCheckSeconds must be a whole number from 0 (never) to {MaxRoomCheckSeconds} (got '{check}').");

        var users = config.GetSection("Mirror:Users").GetChildren().Select(c => c.Value!).Where(v => !string.IsNullOrEmpty(v)).ToList();
        if (config["Mirror:Users"] is { Length: > 0 } single)
            users.AddRange(single.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        if (users.Count == 0)
        {
            var dot = mirrorDomain.IndexOf('.');
            users.Add(dot > 0 ? mirrorDomain[(dot + 1)..] : mirrorDomain);
        }
        return new MirrorSettings(fireAndForget, rooms, historySize, users, roomCheck);
    }

    /// <summary>Whether messages to <paramref name="room"/> (the master room) go fire-and-forget.</summary>
    public bool FireAndForgetFor(Jid room) => RoomFireAndForget.TryGetValue(room.Bare, out var v) ? v : FireAndForget;

    /// <summary>Whether the mirror proxies for <paramref name="user"/>.</summary>
    public bool Serves(Jid user) => Users.Contains("*") ||
        Users.Any(d => string.Equals(d, user.Domain, StringComparison.OrdinalIgnoreCase));

    private static bool? ReadBool(IConfiguration c, string key)
    {
        var v = c[key];
        if (string.IsNullOrEmpty(v)) return null;
        return bool.TryParse(v, out var b) ? b
            : throw new ComponentConfigurationException($"{(c is IConfigurationSection s ? s.Path + ":" : "")}{key} must be true or false (got '{v}').");
    }
}
