using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>
/// Local sessions coming and going on the replica's own authority (during a split, when the primary
/// refuses or drops the room), and letting go of a room nobody local is in. Callers hold the room's gate.
/// </summary>
public sealed class Membership(ReplicaService replica)
{
    /// <summary>
    /// A joined session leaves while the primary cannot be told (split): the user gets its
    /// self-unavailable, the other local users see it go from R/Nick, and the primary learns at the
    /// netjoin (the session is missing from the replica's roster).
    /// </summary>
    public async ValueTask LeaveLocallyAsync(ReplicatedRoom room, LocalSession session, XElement? status, CancellationToken ct)
    {
        room.Sessions.Remove(session.User);
        await replica.Store.DeleteSessionAsync(room, session, ct);
        var shown = room.Roster.TryGetValue(session.Nick, out var entry) ? entry.Presence : session.Self ?? Stanza.Presence(room.Primary.WithResource(session.Nick), null);
        var gone = Presences.UnavailableOf(shown);
        if (status != null) gone.AddFirst(new XElement(Ns.Component + "status", status.Value));
        await replica.SendAsync(LocalView.For(room, gone, session.User, seesJids: true, addCodes: [110]), ct);
        if (!room.Sessions.Values.Any(s => s.Nick == session.Nick))
        {
            await replica.ToJoinedAsync(room, s => LocalView.For(room, gone, s.User, room.SeesJids(s)), ct);
            if (room.Roster.Remove(session.Nick)) await replica.Store.DeleteOccupantAsync(room, session.Nick, ct);
        }
        await ForgetIfEmptyAsync(room, ct);
    }

    /// <summary>Refuses a session still entering (its enter cannot complete), with <paramref name="error"/> as its join error.</summary>
    public async ValueTask RefuseEnteringAsync(ReplicatedRoom room, LocalSession session, StanzaError error, CancellationToken ct)
    {
        room.Sessions.Remove(session.User);
        await replica.SendAsync(Presences.EnterError(room.Address.WithResource(session.Nick), session.User, error), ct);
    }

    /// <summary>One joined session the primary will not have back: the user is told it is out (110, 333, the primary's reason).</summary>
    public async ValueTask PutOutAsync(ReplicatedRoom room, LocalSession session, StanzaError error, CancellationToken ct)
    {
        room.Sessions.Remove(session.User);
        await replica.Store.DeleteSessionAsync(room, session, ct);
        await replica.SendAsync(Presences.PutOut(room, session, error.Text ?? $"the room's primary answered {error.Condition.ToXmlName()}"), ct);
        if (!room.Sessions.Values.Any(s => s.Nick == session.Nick) && room.Roster.TryGetValue(session.Nick, out var entry))
        {
            var gone = Presences.UnavailableOf(entry.Presence);
            await replica.ToJoinedAsync(room, s => LocalView.For(room, gone, s.User, room.SeesJids(s)), ct);
            room.Roster.Remove(session.Nick);
            await replica.Store.DeleteOccupantAsync(room, session.Nick, ct);
        }
        await ForgetIfEmptyAsync(room, ct);
    }

    /// <summary>The primary will not have this replica (refused, or the room is gone): every local user is told, and the room forgotten.</summary>
    public async ValueTask PutEveryoneOutAsync(ReplicatedRoom room, StanzaError error, CancellationToken ct)
    {
        foreach (var session in room.Sessions.Values.ToList())
        {
            if (session.State == SessionState.Entering) await RefuseEnteringAsync(room, session, error, ct);
            else
            {
                room.Sessions.Remove(session.User);
                await replica.Store.DeleteSessionAsync(room, session, ct);
                await replica.SendAsync(Presences.PutOut(room, session, error.Text ?? $"the room's primary answered {error.Condition.ToXmlName()}"), ct);
            }
        }
        await ForgetIfEmptyAsync(room, ct);
    }

    /// <summary>With no local session left the replica lets the room go: its state and history are deleted.</summary>
    public async ValueTask ForgetIfEmptyAsync(ReplicatedRoom room, CancellationToken ct)
    {
        if (room.Sessions.Count > 0 || room.Forgotten) return;
        room.Forgotten = true;
        room.Resync = null;
        replica.Rooms.Remove(room);
        await replica.Store.ForgetAsync(room, ct);
        Log.Forgotten(replica.Logger, room.Primary.ToString());
    }
}
