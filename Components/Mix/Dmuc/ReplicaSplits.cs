using System.Xml.Linq;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Muc;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Dmuc;

/// <summary>
/// A replica's netsplit at the primary (XEP-0282 §netsplit, at the primary): the replica gets no
/// broadcasts (the room's relay audience leaves it out) until it registers again; with
/// Dmuc:MarkSplitUsersAway the occupants who are only behind it are shown to everyone else as
/// &lt;show&gt;xa&lt;/show&gt; "netsplit", and shown as they were at the netjoin. A replica that says it no
/// longer holds the room is dropped: its sessions leave the room. All on the room's executor.
/// </summary>
public sealed class ReplicaSplits(DmucPrimary primary)
{
    public async ValueTask MarkSplitAsync(ReplicaRegistration registration, string reason, CancellationToken ct)
    {
        var room = registration.Room;
        if (registration.Split) return;
        registration.Split = true;
        registration.LastTried = primary.Now;
        room.SplitRelays.Add(registration.Address);
        var away = !primary.Settings.MarkSplitUsersAway ? [] : room.Occupants
            .Where(o => o.Sessions.Count > 0 && o.Sessions.Keys.All(s => o.Relayed.TryGetValue(s, out var r) && r.Relay.Address.Equals(registration.Address)))
            .ToList();
        foreach (var o in away) registration.MarkedAway.Add(o.Nick);
        RoomHostLog.Split(primary.Logger, registration.Address.ToString(), primary.Muc.RoomJid(room).ToString(), reason);
        var netsplit = new XElement(Ns.Component + "presence", new XElement(Ns.Component + "show", "xa"), new XElement(Ns.Component + "status", "netsplit"));
        var deliveries = new Deliveries();
        foreach (var o in away) AddShownToOthers(room, o, netsplit, registration.Address, deliveries);
        await deliveries.SendAsync(ct);
    }

    /// <summary>The netjoin: occupants shown as netsplit are shown as they are again.</summary>
    public async ValueTask RestoreAsync(ReplicaRegistration registration, CancellationToken ct)
    {
        var room = registration.Room;
        var back = registration.MarkedAway.Select(room.FindOccupant).OfType<Occupant>().Where(o => o.Sessions.Count > 0)
            .Select(o => (o, o.Sessions.Values.Last())).ToList();
        registration.MarkedAway.Clear();
        var deliveries = new Deliveries();
        foreach (var (o, payload) in back) AddShownToOthers(room, o, payload, registration.Address, deliveries);
        await deliveries.SendAsync(ct);
    }

    /// <summary>The replica no longer holds the room: forget it, and its sessions leave the room.</summary>
    public async ValueTask DropAsync(ReplicaRegistration registration, CancellationToken ct)
    {
        var room = registration.Room;
        if (!primary.Registry.Remove(registration)) return;
        room.SplitRelays.Remove(registration.Address);
        var behind = DmucPrimary.SessionsBehind(room, registration.Address);
        foreach (var (occupant, session) in behind) await primary.Occupancy.ExitSessionAsync(room, occupant, session, ct);
        RoomHostLog.Dropped(primary.Logger, registration.Address.ToString(), primary.Muc.RoomJid(room).ToString(), behind.Count);
    }

    // A presence of one occupant for everyone but the replica it sits behind, in order with the room's other traffic.
    private void AddShownToOthers(Room room, Occupant o, XElement payload, Jid replica, Deliveries deliveries)
    {
        foreach (var l in OccupantPresence.Audience(room).Where(l => !l.Session.Equals(replica)))
            deliveries.Add(primary.Muc.Sender, OccupantPresence.Build(primary.Muc, room, o, payload, l.SeesJids), l.Session);
    }
}
