using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>
/// The replica's copy of one primary room: the room roster (every occupant, as the primary shows
/// them), the local sessions, the subject, the newest history id held, the messages still waiting
/// for the primary, and the standing with the primary. Guarded by <see cref="Gate"/>: handlers,
/// IQ continuations and the keepalive loop all change it; nobody holds the gate while awaiting the
/// primary's answer.
/// </summary>
public sealed class ReplicatedRoom(Jid primary, Jid address)
{
    public const int RecentIdCapacity = 1000;

    public Jid Primary { get; } = primary;

    /// <summary>R: the room's address on this replica.</summary>
    public Jid Address { get; } = address;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    public PrimaryLink Link { get; set; } = PrimaryLink.Unregistered;

    public OrderedDictionary<string, RosterEntry> Roster { get; } = new(StringComparer.Ordinal);

    /// <summary>Local sessions by the user's full JID.</summary>
    public Dictionary<Jid, LocalSession> Sessions { get; } = new();

    /// <summary>The subject message as the primary sent it (from room or room/Nick), or null before one came.</summary>
    public XElement? Subject { get; set; }

    /// <summary>The room shows real JIDs to everyone (status 100 in a self-presence).</summary>
    public bool NonAnonymous { get; set; }

    /// <summary>The newest primary stanza-id in the replica's history: 'since' when it registers again.</summary>
    public string? LastId { get; set; }

    public RecentIds Known { get; } = new(RecentIdCapacity);

    /// <summary>Local messages the primary has not sent back yet, oldest first.</summary>
    public List<PendingMessage> Pending { get; } = [];

    public Resync? Resync { get; set; }

    /// <summary>When anything last came from the primary.</summary>
    public DateTimeOffset LastHeard { get; set; }

    /// <summary>When the replica last tried the primary (a ping or a replicate).</summary>
    public DateTimeOffset LastTried { get; set; }

    public bool PingInFlight { get; set; }

    /// <summary>The replica let go of this room; a later enter makes a new one.</summary>
    public bool Forgotten { get; set; }

    public LocalSession? FindBySid(string sid) => Sessions.Values.FirstOrDefault(s => s.Sid == sid);

    public IEnumerable<LocalSession> Joined => Sessions.Values.Where(s => s.State == SessionState.Joined);

    /// <summary>Whether <paramref name="viewer"/> may see occupants' real JIDs (XEP-0045: moderators, or everyone in a non-anonymous room).</summary>
    public bool SeesJids(LocalSession viewer) => NonAnonymous || viewer.Role == "moderator";

    public XElement StateRecord() => new(Ns.Dmuc + "room",
        NonAnonymous ? new XAttribute("non-anonymous", "true") : null,
        Subject is null ? null : new XElement(Ns.Dmuc + "subject", new XElement(Subject)));
}
