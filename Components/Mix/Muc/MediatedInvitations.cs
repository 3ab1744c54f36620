using System.Xml.Linq;
using XmppGroupChat.Component;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Muc;

/// <summary>
/// Mediated invitations and declines (XEP-0045 §invite-mediated): the room passes an occupant's
/// invitation on to the invitee (adding them as a member of a members-only room), and passes a
/// decline back to the inviter.
/// </summary>
public sealed class MediatedInvitations(MucService muc)
{
    public void Register(StanzaRouter router) => router.OnMessage(OnMessageAsync, m =>
        m.GetTo() is { Local: not null, Resource: null } && m.GetStanzaType() != "groupchat" && m.Element(Ns.MucUser + "x") is { } x
        && (x.Element(Ns.MucUser + "invite") != null || x.Element(Ns.MucUser + "decline") != null));

    private async ValueTask OnMessageAsync(XElement message, CancellationToken ct)
    {
        var room = muc.RequireRoom(message);
        var from = message.GetFrom()!;
        var x = message.Element(Ns.MucUser + "x")!;
        foreach (var decline in x.Elements(Ns.MucUser + "decline"))
        {
            if (!Jid.TryParse((string?)decline.Attribute("to"), out var inviter))
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.JidMalformed, "a decline names the inviter in 'to'"));
            var forward = Envelope(room, new XElement(Ns.MucUser + "decline", new XAttribute("from", from.Bare.ToString()), Reason(decline)));
            await muc.Broadcaster.EnqueueUnarchivedAsync(muc.Sender, forward, [inviter], ct);
        }
        var invites = x.Elements(Ns.MucUser + "invite").ToList();
        if (invites.Count == 0) return;

        var addedMembers = false;
        var deliveries = new List<(XElement, Jid)>();
        lock (room.Sync)
        {
            var inviter = room.FindOccupantBySession(from)
                          ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable, "only occupants may invite"));
            var mayInvite = room.IsAdmin(from) || room.Config.ParticipantsMayInvite;
            if (!mayInvite) throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "only admins may invite to this room"));
            foreach (var invite in invites)
            {
                if (!Jid.TryParse((string?)invite.Attribute("to"), out var invitee))
                    throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.JidMalformed, "an invitation names the invitee in 'to'"));
                if (room.Config.AllowedOnly && room.AffiliationOf(invitee) == "none")
                {
                    room.Affiliations[invitee.Bare] = "member"; // the invitation is the membership (XEP-0045 §invite, members-only)
                    addedMembers = true;
                }
                var e = Envelope(room, new XElement(Ns.MucUser + "invite", new XAttribute("from", from.ToString()), Reason(invite)));
                if (room.Config.Password is { } password) e.Element(Ns.MucUser + "x")!.Add(new XElement(Ns.MucUser + "password", password));
                var reason = invite.Element(Ns.MucUser + "reason")?.Value;
                e.AddFirst(new XElement(Ns.Component + "body",
                    $"{inviter.Nick} invites you to the room {muc.RoomJid(room)}" + (string.IsNullOrEmpty(reason) ? "" : $": {reason}")));
                deliveries.Add((e, invitee));
            }
        }
        if (addedMembers) await muc.Rooms.SaveRoomAsync(room, ct);
        foreach (var (e, to) in deliveries) await muc.Broadcaster.EnqueueUnarchivedAsync(muc.Sender, e, [to], ct);
    }

    private XElement Envelope(Room room, XElement inner) =>
        new(Ns.Component + "message", new XAttribute("from", muc.RoomJid(room).ToString()), new XAttribute("id", Stanza.NewId()),
            new XElement(Ns.MucUser + "x", inner));

    private static XElement? Reason(XElement e) => e.Element(Ns.MucUser + "reason") is { } r ? new XElement(Ns.MucUser + "reason", r.Value) : null;
}
