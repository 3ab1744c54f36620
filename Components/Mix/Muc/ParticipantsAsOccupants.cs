using System.Xml.Linq;
using XmppGroupChat.Mix.Mix;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Muc;

/// <summary>
/// One room, two faces: a MIX participant who is online shows on the MUC face as an occupant
/// under its nick (and disappears when it goes offline or leaves); a MUC occupant shows to the
/// MIX face's presence subscribers under its occupant id. A user present on both faces shows once.
/// </summary>
public sealed class ParticipantsAsOccupants(MucService muc)
{
    /// <summary>The pseudo-occupant a participant appears as, for presence building.</summary>
    public Occupant AsOccupant(Room room, Participant p, string nick) =>
        new(nick, p.BareJid, MucService.DefaultRole(room, p.BareJid), muc.OccupantId(room, p.BareJid));

    /// <summary>Presence of every participant shown as an occupant, for a client entering the room.</summary>
    public List<XElement> CurrentPresences(Room room, bool seesJids) =>
        room.Participants.Where(p => p.ShownAsOccupant != null)
            .Select(p => OccupantPresence.Build(muc, room, AsOccupant(room, p, p.ShownAsOccupant!), Payload(p), seesJids))
            .ToList();

    /// <summary>Brings the MUC face's view of a participant up to date after a change on the MIX face.</summary>
    public async ValueTask ParticipantChangedAsync(Room room, Participant p, CancellationToken ct)
    {
        string? before, after;
        List<Listener> audience;
        XElement payload;
        lock (room.Sync)
        {
            before = p.ShownAsOccupant;
            var inRoom = room.FindParticipantById(p.Id) == p;
            after = inRoom && p.OnlineResources.Count > 0 && p.Nick != null && room.FindOccupantByJid(p.BareJid) is null ? p.Nick : null;
            p.ShownAsOccupant = after;
            audience = OccupantPresence.Audience(room);
            payload = Payload(p);
        }
        if (before is null && after is null) return;
        foreach (var (session, sees) in audience)
        {
            var stanzas = new List<XElement>();
            lock (room.Sync)
            {
                if (before != null && before != after)
                    stanzas.Add(OccupantPresence.Build(muc, room, AsOccupant(room, p, before), null, sees, type: "unavailable",
                        codes: after != null ? [303] : null, newNick: after));
                if (after != null)
                    stanzas.Add(OccupantPresence.Build(muc, room, AsOccupant(room, p, after), payload, sees));
            }
            foreach (var s in stanzas) await muc.Broadcaster.EnqueueUnarchivedAsync(muc.Sender, s, [session], ct);
        }
    }

    /// <summary>Shows a MUC occupant's client on the MIX face (presence node), or withdraws it.</summary>
    public async ValueTask OccupantChangedAsync(Room room, Occupant o, Jid session, XElement? payload, CancellationToken ct)
    {
        if (muc.Mix is not { } mix) return;
        MessageSender who;
        lock (room.Sync) who = new MessageSender(o.OccupantId, o.Nick, o.BareJid);
        await mix.Presence.BroadcastAsync(room, who, session, payload, ct);
    }

    private static XElement Payload(Participant p) =>
        p.Presences.Values.LastOrDefault() is { } last ? new XElement(Ns.Component + "presence", last.Elements().Select(e => Mix.Reflection.Restamp(e, Ns.Component)))
            : new XElement(Ns.Component + "presence");
}
