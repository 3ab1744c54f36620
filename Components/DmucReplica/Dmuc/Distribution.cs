using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>
/// The primary's broadcasts, one copy per replica to R (XEP-0282 §presence update, §message
/// broadcast): each updates the replica's copy (roster, subject, history) and goes to every joined
/// local session as <see cref="LocalView"/> shows it, except that a presence for a local user's own
/// nick is not shown to that user from this copy: the primary sends each of its sessions its own
/// (with 110) to R/&lt;sid&gt;, as it does through the enter and the leave. While the replica registers,
/// everything is collected for <see cref="Registration"/>. Callers hold the room's gate.
/// </summary>
public sealed class Distribution(ReplicaService replica, Registration registration)
{
    public async ValueTask OnPresenceAsync(ReplicatedRoom room, XElement presence, CancellationToken ct)
    {
        var nick = presence.GetFrom()!.Resource;
        if (nick is null) return; // presence from the room itself carries nothing for occupants
        var gone = presence.GetStanzaType() == "unavailable";
        if (room.Resync is { } resync)
        {
            if (gone) resync.Roster.Remove(nick);
            else resync.Roster[nick] = RosterEntry.From(presence, nick);
            return;
        }
        if (gone)
        {
            if (room.Roster.Remove(nick)) await replica.Store.DeleteOccupantAsync(room, nick, ct);
            await replica.ToJoinedAsync(room, s => s.Nick == nick ? null : LocalView.For(room, presence, s.User, room.SeesJids(s)), ct);
            return;
        }
        var entry = RosterEntry.From(presence, nick);
        room.Roster[nick] = entry;
        await replica.Store.SaveOccupantAsync(room, entry, ct);
        await replica.ToJoinedAsync(room, s => s.Nick == nick ? null : LocalView.For(room, presence, s.User, room.SeesJids(s)), ct);
    }

    public async ValueTask OnMessageAsync(ReplicatedRoom room, XElement message, CancellationToken ct)
    {
        var hasBody = message.Element(Ns.Component + "body") != null;
        if (message.Element(Ns.Component + "subject") is not null && !hasBody)
        {
            await OnSubjectAsync(room, message, ct);
            return;
        }
        if (!hasBody || message.GetStanzaType() != "groupchat")
        {
            // Chat states, room notifications (104 and the like): shown, not kept.
            await replica.ToJoinedAsync(room, s => LocalView.For(room, message, s.User, room.SeesJids(s)), ct);
            return;
        }
        var id = ReplicaStore.PrimaryId(message, room.Primary);
        if (id != null && room.Known.Contains(id))
        {
            Log.Duplicate(replica.Logger, id, room.Primary.ToString());
            return;
        }
        if (room.Resync is { } resync)
        {
            resync.History.Add(new XElement(message));
            await registration.TryCompleteAsync(room, ct);
            return;
        }
        await AcceptAsync(room, message, id, ct);
    }

    /// <summary>A live message: recorded, then shown to local users unless it is a split message of theirs they saw already.</summary>
    private async ValueTask AcceptAsync(ReplicatedRoom room, XElement message, string? id, CancellationToken ct)
    {
        var mine = NetjoinMerge.MatchPending(room.Pending, [], message);
        if (mine != null)
        {
            room.Pending.Remove(mine);
            await replica.Store.DeletePendingAsync(room, mine, ct);
        }
        await replica.Store.RecordAsync(room, message, ct);
        if (id != null)
        {
            room.Known.Add(id);
            room.LastId = id;
        }
        if (mine is { DeliveredLocally: true }) return;
        await replica.ToJoinedAsync(room, s => LocalView.For(room, message, s.User, seesJids: false), ct);
    }

    private async ValueTask OnSubjectAsync(ReplicatedRoom room, XElement message, CancellationToken ct)
    {
        var subject = new XElement(message);
        subject.SetAttributeValue("to", null);
        if (room.Resync is { } resync)
        {
            resync.Subject = subject;
            resync.SubjectSeen = true;
            await registration.TryCompleteAsync(room, ct);
            return;
        }
        room.Subject = subject;
        await replica.Store.SaveRoomAsync(room, ct);
        await replica.ToJoinedAsync(room, s => LocalView.For(room, subject, s.User, seesJids: false), ct);
    }

    /// <summary>Anything the primary sends one local session (a private message, a notice): to that user, as the room shows it.</summary>
    public async ValueTask ToSessionAsync(ReplicatedRoom room, LocalSession session, XElement stanza, CancellationToken ct)
    {
        var own = stanza.GetKind() == StanzaKind.Presence && stanza.GetFrom()?.Resource == session.Nick;
        await replica.SendAsync(LocalView.For(room, stanza, session.User, own || room.SeesJids(session), own ? [110] : null), ct);
    }
}
