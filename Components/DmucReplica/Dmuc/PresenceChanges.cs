using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>
/// A joined local user changes status (presence to R/Nick without the muc element). Live: it goes to
/// the primary, whose broadcast brings it back to everyone (the user with 110). Split or registering:
/// the replica shows it to its own users from R/Nick and tells the primary after the netjoin.
/// Caller holds the room's gate.
/// </summary>
public sealed class PresenceChanges(ReplicaService replica)
{
    public async ValueTask OnStatusAsync(ReplicatedRoom room, LocalSession session, XElement presence, CancellationToken ct)
    {
        if (session.State != SessionState.Joined) return;
        session.Payload = Presences.PayloadOf(presence);
        if (room.Link == PrimaryLink.Live)
        {
            await replica.SendAsync(Upstream.Status(room, session), ct);
            return;
        }
        session.ChangedDuringSplit = true;
        await replica.Store.SaveSessionAsync(room, session, ct);
        if (!room.Roster.TryGetValue(session.Nick, out var entry)) return;
        var shown = new RosterEntry(session.Nick, Presences.WithPayload(entry.Presence, session.Payload));
        room.Roster[session.Nick] = shown;
        await replica.Store.SaveOccupantAsync(room, shown, ct);
        await replica.ToJoinedAsync(room, s => s.Nick == session.Nick
            ? LocalView.For(room, shown.Presence, s.User, seesJids: true, addCodes: [110])
            : LocalView.For(room, shown.Presence, s.User, room.SeesJids(s)), ct);
    }
}
