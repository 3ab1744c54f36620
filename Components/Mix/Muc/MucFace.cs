using System.Xml.Linq;
using XmppGroupChat.Archive;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Dmuc;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Muc;

/// <summary>
/// The MUC face's part of the conversation. Each room message goes to every occupant's client from
/// room@muc/nick, with the sender's id kept and the archive id as stanza-id, and once to each relay
/// (an FMUC mirror or DMUC2 replica) for all the sessions behind it; a replica's copy carries the time
/// for its history (XEP-0282). Online MIX participants show as occupants; a destroyed room tells
/// every occupant why; the banned are taken out with 301.
/// </summary>
public sealed class MucFace(IMucAddressing muc, ParticipantsAsOccupants participants) : IRoomFace
{
    public Face Kind => Face.Muc;

    public void AddMessageCopies(Room room, ArchivedMessage message, Speech speech, Deliveries deliveries)
    {
        // FMUC fire-and-forget: the mirror has shown it to its users already (seed 002).
        Jid? noEcho = message.Stanza.GetId() is { } id && room.NoEcho.Remove(id, out var mirror) ? mirror : null;
        foreach (var group in OccupantPresence.Audience(room).Where(l => !l.Session.Equals(noEcho))
                     .GroupBy(l => (l.SeesJids, Replica: l.Relay?.Kind == RelayKind.Replica)))
        {
            var template = ForOccupants(muc, room, message, group.Key.SeesJids);
            if (group.Key.Replica) template.Add(ReplicaCopy.DmucElement(message, template));
            deliveries.Add(muc.Sender, template, group.Select(l => l.Session).ToList());
        }
    }

    /// <summary>How an archived message looks to an occupant: from room/nick, the sender's id kept, the archive id as stanza-id.</summary>
    public static XElement ForOccupants(IMucAddressing muc, Room room, ArchivedMessage archived, bool seesJids)
    {
        var m = new XElement(archived.Stanza);
        // The nick the message was sent under, never the sender's current one: after a nick change or
        // a nick reused by someone else, history must still name who said it. Archives written before
        // the conversation was face-neutral kept it in a <mix/> inside the message.
        var legacy = m.Element(Ns.MixCore + "mix");
        var nick = archived.SenderNick ?? legacy?.Element(Ns.MixCore + "nick")?.Value ?? "unknown";
        legacy?.Remove();
        m.SetAttributeValue("from", muc.OccupantJid(room, nick));
        if (m.Attribute("id") is null) m.SetAttributeValue("id", archived.Id);
        m.Add(new XElement(Ns.StanzaId + "stanza-id", new XAttribute("id", archived.Id), new XAttribute("by", muc.RoomJid(room).ToString())));
        if (Jid.TryParse(archived.SenderBareJid, out var sender))
            m.Add(new XElement(MucService.OccupantIdNs + "occupant-id", new XAttribute("id", muc.OccupantId(room, sender))));
        return m;
    }

    public void AddPresenceCopies(Room room, PresenceChange change, Deliveries deliveries)
    {
        // An occupant's own change Occupancy has shown in full (110, 303...); a participant shows as an occupant here.
        if (change.Participant is { } p) participants.AddRefresh(room, p, deliveries);
    }

    public void AddDestroyNotices(Room room, Destruction destruction, Deliveries deliveries)
    {
        foreach (var o in room.Occupants.ToList())
        {
            foreach (var session in o.Sessions.Keys)
            {
                var info = new XElement(Ns.MucUser + "destroy");
                if (destruction.AlternateVenue is { } alternate) info.SetAttributeValue("jid", alternate);
                if (destruction.Reason is { } reason) info.Add(new XElement(Ns.MucUser + "reason", reason));
                // The room is gone, and every affiliation with it (XEP-0045 §destroyroom shows affiliation none).
                var p = OccupantPresence.Build(muc, room, o, null, withJid: true, type: "unavailable", codes: [110], session: session);
                var x = p.Element(Ns.MucUser + "x")!;
                x.Element(Ns.MucUser + "item")!.SetAttributeValue("affiliation", "none");
                x.Element(Ns.MucUser + "status")!.AddBeforeSelf(info);
                deliveries.Add(muc.Sender, p, session);
            }
            room.RemoveOccupant(o);
        }
    }

    public ValueTask RemoveBannedAsync(Room room, Ban ban, CancellationToken ct)
    {
        var banned = room.Occupants.Where(o => room.IsBanned(o.BareJid)).ToList();
        if (banned.Count == 0) return ValueTask.CompletedTask;
        foreach (var o in banned) room.RemoveOccupant(o);
        var deliveries = new Deliveries();
        foreach (var o in banned) OccupantAnnouncements.Add(muc, room, o, 301, ban.Reason, removed: true, ban.ActorNick, deliveries);
        return deliveries.SendAsync(ct);
    }
}
