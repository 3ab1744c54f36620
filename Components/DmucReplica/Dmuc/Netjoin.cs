using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>
/// What a completed registration does (the first one, after a split, after a restart): the primary's
/// roster replaces the copy and local users are told what changed; the subject is taken; the
/// history is merged with the local messages (<see cref="NetjoinMerge"/>): recorded, delivered to
/// local users who missed it, and what the primary lacks resubmitted in order with its original time;
/// enters queued while registering go; presence changed during the split is sent. Caller holds the gate.
/// </summary>
public sealed class Netjoin(ReplicaService replica, Membership membership)
{
    public async ValueTask ApplyAsync(ReplicatedRoom room, Resync resync, CancellationToken ct)
    {
        // Sessions whose leave the primary never confirmed were not listed: the primary has let them go.
        foreach (var leaving in room.Sessions.Values.Where(s => s.State == SessionState.Leaving).ToList())
        {
            room.Sessions.Remove(leaving.User);
            await replica.Store.DeleteSessionAsync(room, leaving, ct);
            var shown = leaving.Self ?? Stanza.Presence(room.Primary.WithResource(leaving.Nick), null);
            await replica.SendAsync(LocalView.For(room, Presences.UnavailableOf(shown), leaving.User, seesJids: true, addCodes: [110]), ct);
        }

        var changes = RosterReconcile.Diff(room.Roster, resync.Roster);
        room.Roster.Clear();
        foreach (var (nick, entry) in resync.Roster) room.Roster[nick] = entry;
        await replica.Store.SaveRosterAsync(room, ct);
        foreach (var gone in changes.Gone)
            await replica.ToJoinedAsync(room, s => s.Nick == gone.Nick ? null
                : LocalView.For(room, Presences.UnavailableOf(gone.Presence), s.User, room.SeesJids(s)), ct);
        foreach (var changed in changes.Changed)
            await replica.ToJoinedAsync(room, s => s.Nick == changed.Nick ? null
                : LocalView.For(room, changed.Presence, s.User, room.SeesJids(s)), ct);

        var subjectChanged = resync.Subject != null && (room.Subject is null || !XmlEquals(room.Subject, resync.Subject));
        if (subjectChanged)
        {
            room.Subject = resync.Subject;
            await replica.Store.SaveRoomAsync(room, ct);
            await replica.ToJoinedAsync(room, s => LocalView.For(room, room.Subject!, s.User, seesJids: false), ct);
        }

        var plan = NetjoinMerge.Plan(room.Pending, resync.History, room.Primary, room.Known.Contains);
        foreach (var message in plan.Record)
        {
            await replica.Store.RecordAsync(room, message, ct);
            if (ReplicaStore.PrimaryId(message, room.Primary) is { } id)
            {
                room.Known.Add(id);
                room.LastId = id;
            }
        }
        foreach (var mine in plan.Confirmed)
        {
            room.Pending.Remove(mine);
            await replica.Store.DeletePendingAsync(room, mine, ct);
        }
        foreach (var message in plan.Deliver)
            await replica.ToJoinedAsync(room, s => LocalView.History(room, message, s.User), ct);

        foreach (var entering in room.Sessions.Values.Where(s => s.State == SessionState.Entering).ToList())
            await replica.SendAsync(Upstream.Enter(room, entering, entering.UserMuc), ct);
        foreach (var pending in plan.Submit)
            await replica.SendAsync(Upstream.Message(room, pending, resubmission: true), ct);
        foreach (var changed in room.Joined.Where(s => s.ChangedDuringSplit).ToList())
        {
            changed.ChangedDuringSplit = false;
            await replica.SendAsync(Upstream.Status(room, changed), ct);
        }

        await membership.ForgetIfEmptyAsync(room, ct);
        if (room.Forgotten) return;
        if (resync.Netjoin) Log.Netjoin(replica.Logger, room.Primary.ToString(), plan.Deliver.Count, plan.Submit.Count, plan.Confirmed.Count);
        else Log.Registered(replica.Logger, room.Primary.ToString(), room.Address.ToString(), room.Roster.Count, plan.Record.Count);
    }

    private static bool XmlEquals(System.Xml.Linq.XElement a, System.Xml.Linq.XElement b)
    {
        var (x, y) = (new System.Xml.Linq.XElement(a), new System.Xml.Linq.XElement(b));
        x.SetAttributeValue("id", null);
        y.SetAttributeValue("id", null);
        x.SetAttributeValue("to", null);
        y.SetAttributeValue("to", null);
        return System.Xml.Linq.XNode.DeepEquals(x, y);
    }
}
