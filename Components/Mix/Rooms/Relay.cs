using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Rooms;

/// <summary>What kind of peer fans a room out to its own server's users.</summary>
public enum RelayKind
{
    /// <summary>An FMUC mirror (seed 002): a proxy room on a server behind a constrained link.</summary>
    Mirror,

    /// <summary>A DMUC2 replica (XEP-0282): keeps its own roster and history and serves its users through a netsplit.</summary>
    Replica,
}

/// <summary>
/// A peer room that fans this room out to its own users: an FMUC mirror's proxy room or a DMUC2
/// replica's. Each broadcast goes once to <see cref="Address"/> (the peer room's bare JID) instead
/// of once per session behind it; that is the whole saving on the server-to-server link.
/// </summary>
public sealed record Relay(Jid Address, RelayKind Kind);

/// <summary>An occupant's session that sits behind a relay, and the real user the relay vouched for.</summary>
public sealed record RelayedSession(Relay Relay, Jid RealJid);
