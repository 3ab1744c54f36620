using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Rooms;

/// <summary>
/// A MUC occupant (XEP-0045): a nick in the room held by one user, from one or more of their
/// clients at once (multi-session). Occupants are sessions: they are not stored.
/// </summary>
public sealed class Occupant(string nick, Jid bareJid, Role role, string occupantId)
{
    public string Nick { get; set; } = nick;
    public Jid BareJid { get; } = bareJid;
    public Role Role { get; set; } = role;
    /// <summary>XEP-0421: the same for this user in this room whatever the nick, and reveals nothing.</summary>
    public string OccupantId { get; } = occupantId;
    /// <summary>The user's clients in the room, with the presence payload (show, status, caps...) each last sent.</summary>
    public Dictionary<Jid, XElement> Sessions { get; } = new();

    /// <summary>
    /// Sessions that sit behind a relay (FMUC mirror, DMUC replica): the session key is the relay's
    /// per-session address, and the real user is the one the relay vouched for.
    /// </summary>
    public Dictionary<Jid, RelayedSession> Relayed { get; } = new();

    /// <summary>The real client behind a session: itself, or the user a relay vouched for.</summary>
    public Jid RealJidOf(Jid session) => Relayed.TryGetValue(session, out var r) ? r.RealJid : session;

    public void RemoveSession(Jid session)
    {
        Sessions.Remove(session);
        Relayed.Remove(session);
    }
}
