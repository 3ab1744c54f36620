using System.Xml.Linq;
using XmppGroupChat.Mix.Muc;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Dmuc;

/// <summary>
/// A replica's netsplit at the primary (XEP-0282 §netsplit, at the primary): the replica gets no
/// broadcasts (the room's relay audience leaves it out) until it registers again; with
/// Dmuc:MarkSplitUsersAway the occupants who are only behind it are shown to everyone else as
/// &lt;show&gt;xa&lt;/show&gt; "netsplit", and shown as they were at the netjoin. A replica that says it no
/// longer holds the room is dropped: its sessions leave the room.
/// </summary>
public sealed class ReplicaSplits(DmucPrimary primary)
{
    public async ValueTask MarkSplitAsync(ReplicaRegistration registration, string reason, CancellationToken ct)
    {
        var room = registration.Room;
        List<Occupant> away;
        lock (room.Sync)
        {
            if (registration.Split) return;
            registration.Split = true;
            registration.LastTried = primary.Now;
            room.SplitRelays.Add(registration.Address);
            away = !primary.Settings.MarkSplitUsersAway ? [] : room.Occupants
                .Where(o => o.Sessions.Count > 0 && o.Sessions.Keys.All(s => o.Relayed.TryGetValue(s, out var r) && r.Relay.Address.Equals(registration.Address)))
                .ToList();
            foreach (var o in away) registration.MarkedAway.Add(o.Nick);
        }
        Log.Split(primary.Logger, registration.Address.ToString(), primary.Muc.RoomJid(room).ToString(), reason);
        var netsplit = new XElement(Ns.Component + "presence", new XElement(Ns.Component + "show", "xa"), new XElement(Ns.Component + "status", "netsplit"));
        foreach (var o in away) await ShowToOthersAsync(room, o, netsplit, registration.Address, ct);
    }

    /// <summary>The netjoin: occupants shown as netsplit are shown as they are again.</summary>
    public async ValueTask RestoreAsync(ReplicaRegistration registration, CancellationToken ct)
    {
        var room = registration.Room;
        List<(Occupant, XElement)> back;
        lock (room.Sync)
        {
            back = registration.MarkedAway.Select(room.FindOccupant).OfType<Occupant>().Where(o => o.Sessions.Count > 0)
                .Select(o => (o, o.Sessions.Values.Last())).ToList();
            registration.MarkedAway.Clear();
        }
        foreach (var (o, payload) in back) await ShowToOthersAsync(room, o, payload, registration.Address, ct);
    }

    /// <summary>The replica no longer holds the room: forget it, and its sessions leave the room.</summary>
    public async ValueTask DropAsync(ReplicaRegistration registration, CancellationToken ct)
    {
        var room = registration.Room;
        if (!primary.Registry.Remove(registration)) return;
        List<(Occupant Occupant, Jid Session)> behind;
        lock (room.Sync)
        {
            room.SplitRelays.Remove(registration.Address);
            behind = DmucPrimary.SessionsBehind(room, registration.Address);
        }
        foreach (var (occupant, session) in behind) await primary.Occupancy.ExitSessionAsync(room, occupant, session, ct);
        Log.Dropped(primary.Logger, registration.Address.ToString(), primary.Muc.RoomJid(room).ToString(), behind.Count);
    }

    // A presence of one occupant for everyone but the replica it sits behind, in order with the room's other traffic.
    private async ValueTask ShowToOthersAsync(Room room, Occupant o, XElement payload, Jid replica, CancellationToken ct)
    {
        List<(Jid To, XElement Presence)> copies;
        lock (room.Sync)
            copies = OccupantPresence.Audience(room).Where(l => !l.Session.Equals(replica))
                .Select(l => (l.Session, OccupantPresence.Build(primary.Muc, room, o, payload, l.SeesJids))).ToList();
        foreach (var (to, presence) in copies)
            await primary.Muc.Broadcaster.EnqueueUnarchivedAsync(primary.Muc.Sender, presence, [to], ct);
    }
}
