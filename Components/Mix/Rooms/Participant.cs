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

    /// <summary>
    /// Joined through the user's own server (XEP-0405 MIX-PAM: the join came from the bare JID). The
    /// channel then addresses everything to the bare JID and the server distributes it to the
    /// user's clients (XEP-0405 §1, XEP-0369 "Sending a Message"); a direct join gets per-resource
    /// copies instead, because a server without PAM bounces groupchat sent to a bare JID.
    /// </summary>
    public bool ViaServer { get; set; }

    /// <summary>Where the channel's messages and notifications for this participant go.</summary>
    public IEnumerable<Jid> DeliveryTargets => ViaServer ? [BareJid] : OnlineResources;

    /// <summary>Whether anything sent to this participant now reaches a client (or its server, which stores it).</summary>
    public bool Reachable => ViaServer || OnlineResources.Count > 0;

    /// <summary>MIX-PRESENCE: the current presence of each online resource that shared one (volatile, like presence itself).</summary>
    public Dictionary<Jid, XElement> Presences { get; } = new();

    /// <summary>The nick under which the MUC face currently shows this participant as an occupant, if it does.</summary>
    public string? ShownAsOccupant { get; set; }

    /// <summary>The seed's mix:0 presence item, published to the presence node (one per participant).</summary>
    public XElement? SeedPresence { get; set; }

    public bool IsSubscribed(string node) => Subscriptions.Contains(node);
}
