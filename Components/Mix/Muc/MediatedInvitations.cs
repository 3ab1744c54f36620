using System.Xml.Linq;
using XmppGroupChat.Component.Routing;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Features;
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
    public void Declare(RouteTable routes)
    {
        foreach (var type in new[] { MessageType.Normal, MessageType.Chat, MessageType.Headline })
            routes.Message(AddressKind.Entity, type, "MUC: mediated invitations", OnMessageAsync, carrying: Ns.MucUser + "x");
    }

    private async ValueTask OnMessageAsync(XElement message, CancellationToken ct)
    {
        var room = muc.RequireRoom(message);
        var from = message.GetFrom()!;
        var x = message.Element(Ns.MucUser + "x")!;
        var invites = x.Elements(Ns.MucUser + "invite").ToList();
        var declines = x.Elements(Ns.MucUser + "decline").ToList();
        if (invites.Count == 0 && declines.Count == 0)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ServiceUnavailable, "the room takes invitations and declines as normal messages, and groupchat"));
        var deliveries = new Deliveries();
        foreach (var decline in declines)
        {
            if (!Jid.TryParse((string?)decline.Attribute("to"), out var inviter))
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.JidMalformed, "a decline names the inviter in 'to'"));
            deliveries.Add(muc.Sender, Envelope(room, new XElement(Ns.MucUser + "decline", new XAttribute("from", from.Bare.ToString()), Reason(decline))), inviter);
        }
        if (invites.Count > 0)
        {
            var inviterOccupant = room.FindOccupantBySession(from)
                                  ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable, "only occupants may invite"));
            if (!room.IsAdmin(from) && !InvitationRights.ByParticipants(room.Config))
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "only admins may invite to this room"));
            var addedMembers = false;
            foreach (var invite in invites)
            {
                if (!Jid.TryParse((string?)invite.Attribute("to"), out var invitee))
                    throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.JidMalformed, "an invitation names the invitee in 'to'"));
                if (MembersOnly.IsOn(room.Config) && room.AffiliationOf(invitee) == Affiliation.None)
                {
                    room.SetAffiliation(invitee, Affiliation.Member); // the invitation is the membership (XEP-0045 §invite, members-only)
                    addedMembers = true;
                }
                var e = Envelope(room, new XElement(Ns.MucUser + "invite", new XAttribute("from", from.ToString()), Reason(invite)));
                if (PasswordProtection.Of(room.Config) is { } password) e.Element(Ns.MucUser + "x")!.Add(new XElement(Ns.MucUser + "password", password));
                var reason = invite.Element(Ns.MucUser + "reason")?.Value;
                e.AddFirst(new XElement(Ns.Component + "body",
                    $"{inviterOccupant.Nick} invites you to the room {muc.RoomJid(room)}" + (string.IsNullOrEmpty(reason) ? "" : $": {reason}")));
                deliveries.Add(muc.Sender, e, invitee);
            }
            if (addedMembers) await muc.Rooms.SaveRoomAsync(room, ct);
        }
        await deliveries.SendAsync(ct);
    }

    private XElement Envelope(Room room, XElement inner) =>
        new(Ns.Component + "message", new XAttribute("from", muc.RoomJid(room).ToString()), new XAttribute("id", Stanza.NewId()),
            new XElement(Ns.MucUser + "x", inner));

    private static XElement? Reason(XElement e) => e.Element(Ns.MucUser + "reason") is { } r ? new XElement(Ns.MucUser + "reason", r.Value) : null;
}
