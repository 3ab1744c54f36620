using System.Xml.Linq;
using XmppGroupChat.Component;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Features;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Muc;

/// <summary>
/// One room, two faces: a MIX participant who is online shows on the MUC face as an occupant under
/// its nick, and disappears when it goes offline or leaves. A user who is a MUC occupant too shows
/// once, as that occupant.
/// </summary>
public sealed class ParticipantsAsOccupants(IMucAddressing muc)
{
    /// <summary>The pseudo-occupant a participant appears as, for presence building.</summary>
    public Occupant AsOccupant(Room room, Participant p, string nick) =>
        new(nick, p.BareJid, Moderation.DefaultRole(room, p.BareJid), muc.OccupantId(room, p.BareJid));

    /// <summary>Presence of every participant shown as an occupant, for a client entering the room.</summary>
    public List<XElement> CurrentPresences(Room room, bool seesJids) =>
        room.Participants.Where(p => p.ShownAsOccupant != null)
            .Select(p => OccupantPresence.Build(muc, room, AsOccupant(room, p, p.ShownAsOccupant!), Payload(p), seesJids))
            .ToList();

    /// <summary>Brings the MUC face's view of a participant up to date after a change (on either face).</summary>
    public void AddRefresh(Room room, Participant p, Deliveries deliveries)
    {
        var before = p.ShownAsOccupant;
        var inRoom = room.FindParticipantById(p.Id) == p;
        var after = inRoom && p.OnlineResources.Count > 0 && p.Nick != null && room.FindOccupantByJid(p.BareJid) is null ? p.Nick : null;
        p.ShownAsOccupant = after;
        if (before is null && after is null) return;
        var payload = Payload(p);
        foreach (var (session, sees) in OccupantPresence.Audience(room))
        {
            if (before != null && before != after)
                deliveries.Add(muc.Sender, OccupantPresence.Build(muc, room, AsOccupant(room, p, before), null, sees, type: "unavailable",
                    codes: after != null ? [303] : null, newNick: after), session);
            if (after != null)
                deliveries.Add(muc.Sender, OccupantPresence.Build(muc, room, AsOccupant(room, p, after), payload, sees), session);
        }
    }

    private static XElement Payload(Participant p) =>
        p.Presences.Values.LastOrDefault() is { } last ? new XElement(Ns.Component + "presence", last.Elements().Select(e => StoredMessage.Restamp(e, Ns.Component)))
            : new XElement(Ns.Component + "presence");
}
