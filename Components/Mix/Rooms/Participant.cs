using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Rooms;

/// <summary>
/// A MIX participant: outlives sessions. Its stable id names it in the channel
/// (channel@service/id) and is never reused; its real JID is shown only where the channel allows.
/// </summary>
public sealed class Participant(string id, Jid bareJid, string? nick, IEnumerable<string> subscriptions, DateTimeOffset joined, XNamespace dialect)
{
    public string Id { get; } = id;
    public Jid BareJid { get; } = bareJid;
    public string? Nick { get; set; } = nick;
    public HashSet<string> Subscriptions { get; } = new(subscriptions, StringComparer.Ordinal);
    public DateTimeOffset Joined { get; } = joined;

    /// <summary>The namespace the participant joined with (mix:0, core:0 or core:1): notifications follow it.</summary>
    public XNamespace Dialect { get; set; } = dialect;

    /// <summary>Full JIDs known to be online (direct joins, directed presence); bounces remove them.</summary>
    public HashSet<Jid> OnlineResources { get; } = new();

    /// <summary>MIX-PRESENCE: the current presence of each online resource that shared one (volatile, like presence itself).</summary>
    public Dictionary<Jid, XElement> Presences { get; } = new();

    /// <summary>The nick under which the MUC face currently shows this participant as an occupant, if it does.</summary>
    public string? ShownAsOccupant { get; set; }

    /// <summary>The seed's mix:0 presence item, published to the presence node (one per participant).</summary>
    public XElement? SeedPresence { get; set; }

    public bool IsSubscribed(string node) => Subscriptions.Contains(node);
}
