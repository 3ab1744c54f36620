using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>
/// A local user leaves (XEP-0282 §leave): unavailable to R/Nick goes to the primary from R/&lt;sid&gt;;
/// the primary broadcasts the departure and sends &lt;leave/&gt; to R/&lt;sid&gt;, on which the replica
/// forgets the session and forwards the self-unavailable (110). During a split the replica does
/// it all itself. A bounce from the user's client counts as leaving. When the last local session is
/// gone the replica lets the room go.
/// </summary>
public sealed class Leaving(ReplicaService replica, Membership membership)
{
    public async ValueTask OnUserUnavailableAsync(XElement presence, CancellationToken ct)
    {
        var from = presence.GetFrom()!;
        if (replica.FindRoom(presence.GetTo()!) is not { } room) return;
        using var _ = await ReplicaService.LockAsync(room, ct);
        if (room.Forgotten || !room.Sessions.TryGetValue(from, out var session)) return;
        var status = presence.Element(Ns.Component + "status");
        switch (session.State)
        {
            case SessionState.Entering:
                room.Sessions.Remove(from);
                if (room.Link == PrimaryLink.Live) await replica.SendAsync(Upstream.Unavailable(room, session), ct);
                var self = Stanza.Presence(room.Address.WithResource(session.Nick), from, "unavailable");
                self.Add(new XElement(Ns.MucUser + "x", new XElement(Ns.MucUser + "item", new XAttribute("affiliation", "none"), new XAttribute("role", "none")),
                    new XElement(Ns.MucUser + "status", new XAttribute("code", 110))));
                await replica.SendAsync(self, ct);
                await membership.ForgetIfEmptyAsync(room, ct);
                break;
            case SessionState.Joined when room.Link == PrimaryLink.Live:
                session.State = SessionState.Leaving;
                await replica.SendAsync(Upstream.Unavailable(room, session, status), ct);
                break;
            case SessionState.Joined:
                await membership.LeaveLocallyAsync(room, session, status, ct);
                break;
        }
    }

    /// <summary>A delivery to a local user's client bounced: that session is gone (XEP-0045 §service-error-kick, for that session).</summary>
    public async ValueTask OnUserBounceAsync(XElement error, CancellationToken ct)
    {
        var unavailable = Stanza.Presence(error.GetFrom(), error.GetTo(), "unavailable");
        if (replica.FindRoom(error.GetTo()!) is { } room)
        {
            LocalSession? session;
            using (await ReplicaService.LockAsync(room, ct)) room.Sessions.TryGetValue(error.GetFrom()!, out session);
            if (session is null) return;
            unavailable.SetAttributeValue("to", room.Address.WithResource(session.Nick).ToString());
            await OnUserUnavailableAsync(unavailable, ct);
        }
    }

    /// <summary>The primary's &lt;leave/&gt; (or a kick or ban) for a session: forwarded to the user with 110. Caller holds the gate.</summary>
    public async ValueTask OnLeftAsync(ReplicatedRoom room, LocalSession session, XElement presence, CancellationToken ct)
    {
        await replica.SendAsync(LocalView.For(room, presence, session.User, seesJids: true, addCodes: [110]), ct);
        if (session.EnteringAgain)
        {
            // The old stay is over; the enter sent after it is on its way and its <enter/> greets the user again.
            session.EnteringAgain = false;
            session.State = SessionState.Entering;
            return;
        }
        room.Sessions.Remove(session.User);
        await replica.Store.DeleteSessionAsync(room, session, ct);
        await membership.ForgetIfEmptyAsync(room, ct);
    }
}
