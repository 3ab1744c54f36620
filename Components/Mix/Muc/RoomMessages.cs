using System.Xml.Linq;
using XmppGroupChat.Component.Routing;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Features;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Muc;

/// <summary>
/// Messages on the MUC face (XEP-0045 §message, §subject, §privatemessage): an occupant's groupchat
/// goes into the room's conversation like a MIX participant's, so both faces see it with the same
/// stanza-id; subject changes; private messages between occupants; bounces take the dead client out.
/// </summary>
/// <param name="resubmission">The DMUC2 primary's, when replicas are configured: a replica's groupchat
/// carrying the time its user wrote it is a resubmission after a netsplit, not a live message.</param>
public sealed class RoomMessages(MucService muc, Occupancy occupancy, Dmuc.Resubmission? resubmission)
{
    public void Declare(RouteTable routes)
    {
        routes.Message(AddressKind.Entity, MessageType.Groupchat, "MUC: room messages", OnGroupchatAsync);
        foreach (var type in new[] { MessageType.Chat, MessageType.Normal, MessageType.Headline, MessageType.Groupchat })
            routes.Message(AddressKind.Resource, type, "MUC: private messages", OnPrivateAsync);
    }

    /// <summary>
    /// The occupant behind a session, and how the archive names them: a MIX participant keeps its
    /// participant id, anyone else is known by its occupant id.
    /// </summary>
    public static (Occupant Occupant, Speaker Speaker) RequireOccupant(Room room, Jid session)
    {
        var occupant = room.FindOccupantBySession(session)
                       ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable, "only occupants may send messages to the room"));
        var participant = room.FindParticipant(occupant.BareJid);
        return (occupant, new Speaker(participant?.Id ?? occupant.OccupantId, occupant.Nick, occupant.BareJid));
    }

    private async ValueTask OnGroupchatAsync(XElement message, CancellationToken ct)
    {
        if (resubmission?.Claims(message) == true)
        {
            await resubmission.OnResubmissionAsync(message, ct);
            return;
        }
        var room = muc.RequireRoom(message);
        var from = message.GetFrom()!;
        var (occupant, speaker) = RequireOccupant(room, from);
        // The relays' own elements are between them and the room; they are not part of the message.
        var content = message.Elements().Where(e => e.Name.Namespace != Ns.Fmuc && e.Name.Namespace != Ns.Dmuc).ToList();
        var speech = new Speech(Face.Muc, speaker, content, message, occupant);
        // Whoever may not speak (a visitor in a moderated room) may not set the subject either.
        foreach (var rule in muc.Features.MessageRules) rule.Check(room, speech);
        var subject = message.Element(Ns.Component + "subject");
        if (subject != null && message.Element(Ns.Component + "body") is null)
        {
            await ChangeSubjectAsync(room, occupant, subject.Value, ct);
            return;
        }
        if (message.Element(Ns.MucUser + "x") is { } x && (x.Element(Ns.MucUser + "invite") != null || x.Element(Ns.MucUser + "decline") != null))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "send invitations as a normal message to the room"));
        // FMUC fire-and-forget: the mirror has delivered to its users already, so it gets no copy back (seed 002).
        if (message.Element(Ns.Fmuc + "nomirror") != null && occupant.Relayed.TryGetValue(from, out var behind)
            && behind.Relay.Kind == RelayKind.Mirror && message.GetId() is { } id)
            room.RememberNoEcho(id, behind.Relay.Address);
        await muc.Conversation.SpeakAsync(room, speech, ct);
    }

    private async ValueTask ChangeSubjectAsync(Room room, Occupant occupant, string subject, CancellationToken ct)
    {
        SubjectChanges.RequireAllowed(room, occupant);
        room.Subject = subject;
        room.SubjectBy = occupant.Nick;
        await muc.Rooms.SaveRoomAsync(room, ct);
        var deliveries = new Deliveries();
        deliveries.Add(muc.Sender, occupancy.SubjectMessage(room), OccupantPresence.Audience(room).Select(a => a.Session).ToList());
        await deliveries.SendAsync(ct);
    }

    private async ValueTask OnPrivateAsync(XElement message, CancellationToken ct)
    {
        var room = muc.RequireRoom(message);
        var from = message.GetFrom()!;
        var to = message.GetTo()!;
        var sender = room.FindOccupantBySession(from)
                     ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable, "only occupants may send private messages"));
        var groupchat = message.GetMessageType() == MessageType.Groupchat;
        if (!PrivateMessages.Allowed(room.Config) && !groupchat)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAllowed, "private messages are off in this room"));
        if (groupchat)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "a private message is not of type groupchat"));
        var target = room.FindOccupant(to.Resource!)
                     ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, "nobody has that nick in this room"));
        var copy = new XElement(message);
        copy.SetAttributeValue("from", muc.OccupantJid(room, sender.Nick));
        copy.SetAttributeValue("to", null);
        copy.Add(new XElement(Ns.MucUser + "x"));
        copy.Add(new XElement(MucService.OccupantIdNs + "occupant-id", new XAttribute("id", sender.OccupantId)));
        var deliveries = new Deliveries();
        deliveries.Add(muc.Sender, copy, target.Sessions.Keys.ToList());
        await deliveries.SendAsync(ct);
    }
}
