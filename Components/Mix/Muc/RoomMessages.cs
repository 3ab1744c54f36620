using System.Xml.Linq;
using XmppGroupChat.Archive;
using XmppGroupChat.Component;
using XmppGroupChat.Mix.Delivery;
using XmppGroupChat.Mix.Mix;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Muc;

/// <summary>
/// Messages on the MUC face (XEP-0045 §message, §subject, §privatemessage): an occupant's
/// groupchat goes through the same archive-then-fan-out path as a MIX participant's, so both faces
/// see it with the same stanza-id; subject changes; private messages between occupants.
/// </summary>
public sealed class RoomMessages(MucService muc, Occupancy occupancy)
{
    public void Register(StanzaRouter router)
    {
        router.OnMessage(OnBounceAsync, m => m.IsErrorType());
        router.OnMessage(OnGroupchatAsync, m => m.GetTo() is { Local: not null, Resource: null } && m.GetStanzaType() == "groupchat");
        router.OnMessage(OnPrivateAsync, m => m.GetTo() is { Local: not null, Resource: not null });
    }

    /// <summary>How an archived message looks to an occupant: from room/nick, the sender's id kept, the archive id as stanza-id.</summary>
    public static XElement ForOccupants(MucService muc, Room room, ArchivedMessage archived, bool seesJids)
    {
        var m = new XElement(archived.Stanza);
        var mix = m.Element(Ns.MixCore + "mix");
        // The nick the message was sent under, never the sender's current one: after a nick change or
        // a nick reused by someone else, history must still name who said it (issue 10, item 2).
        var nick = archived.SenderNick ?? mix?.Element(Ns.MixCore + "nick")?.Value ?? "unknown";
        Jid.TryParse(archived.SenderBareJid, out var sender);
        mix?.Remove();
        m.SetAttributeValue("from", muc.OccupantJid(room, nick));
        if (m.Attribute("id") is null) m.SetAttributeValue("id", archived.Id);
        m.Add(new XElement(Ns.StanzaId + "stanza-id", new XAttribute("id", archived.Id), new XAttribute("by", muc.RoomJid(room).ToString())));
        if (sender != null) m.Add(new XElement(MucService.OccupantIdNs + "occupant-id", new XAttribute("id", muc.OccupantId(room, sender))));
        return m;
    }

    /// <summary>
    /// The MUC face's share of a channel message's delivery: every occupant session, and one copy per
    /// relay for all the sessions behind it; none to a mirror that asked for no echo (FMUC &lt;nomirror/&gt;).
    /// A replica's copy carries the time inside the dmuc element, so it can show history (XEP-0282).
    /// </summary>
    public IEnumerable<DeliveryGroup> Deliveries(Room room, ArchivedMessage archived)
    {
        List<Listener> audience;
        Jid? noEcho = null;
        lock (room.Sync)
        {
            audience = OccupantPresence.Audience(room);
            if ((string?)archived.Stanza.Attribute("id") is { } id && room.NoEcho.Remove(id, out var mirror)) noEcho = mirror;
        }
        foreach (var group in audience.Where(l => !l.Session.Equals(noEcho)).GroupBy(l => (l.SeesJids, Replica: l.Relay?.Kind == RelayKind.Replica)))
        {
            XElement template;
            lock (room.Sync) template = ForOccupants(muc, room, archived, group.Key.SeesJids);
            if (group.Key.Replica)
                template.Add(Dmuc.ReplicaCopy.DmucElement(archived, template));
            yield return new DeliveryGroup(template, group.Select(a => a.Session).ToList(), muc.Sender);
        }
    }

    /// <summary>
    /// The occupant behind a session who may speak in the room, and how the archive names them: a
    /// MIX participant keeps its participant id, anyone else is known by its occupant id. Under the room's lock.
    /// </summary>
    public static (Occupant Occupant, MessageSender Sender) RequireSpeaker(Room room, Jid session)
    {
        var occupant = room.FindOccupantBySession(session)
                       ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable, "only occupants may send messages to the room"));
        if (occupant.Role == "visitor")
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "you have no voice in this moderated room"));
        var participant = room.FindParticipant(occupant.BareJid);
        return (occupant, new MessageSender(participant?.Id ?? occupant.OccupantId, occupant.Nick, occupant.BareJid));
    }

    private async ValueTask OnGroupchatAsync(XElement message, CancellationToken ct)
    {
        var room = muc.RequireRoom(message);
        var from = message.GetFrom()!;
        Occupant occupant;
        MessageSender sender;
        lock (room.Sync)
        {
            (occupant, sender) = RequireSpeaker(room, from);
            // FMUC fire-and-forget: the mirror has delivered to its users already, so it gets no copy back (seed 002).
            if (message.Element(Ns.Fmuc + "nomirror") != null && occupant.Relayed.TryGetValue(from, out var behind)
                && behind.Relay.Kind == RelayKind.Mirror && message.GetId() is { } id)
                room.RememberNoEcho(id, behind.Relay.Address);
        }

        var subject = message.Element(Ns.Component + "subject");
        if (subject != null && message.Element(Ns.Component + "body") is null)
        {
            await ChangeSubjectAsync(room, occupant, subject.Value, ct);
            return;
        }
        if (message.Element(Ns.MucUser + "x") is { } x && (x.Element(Ns.MucUser + "invite") != null || x.Element(Ns.MucUser + "decline") != null))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "send invitations as a normal message to the room"));

        var publisher = muc.Mix?.Messages
                        ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ServiceUnavailable, "the room host is starting"));
        // The relays' own elements are between them and the room; they are not part of the message.
        var content = message.Elements().Where(e => e.Name.Namespace != Ns.Fmuc && e.Name.Namespace != Ns.Dmuc);
        await publisher.PublishAsync(room, sender, content, message, waitForArchive: false, ct);
    }

    private async ValueTask ChangeSubjectAsync(Room room, Occupant occupant, string subject, CancellationToken ct)
    {
        List<Jid> sessions;
        lock (room.Sync)
        {
            if (occupant.Role != "moderator" && !room.Config.OccupantsChangeSubject)
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "only moderators may change the subject of this room"));
            room.Subject = subject;
            room.SubjectBy = occupant.Nick;
            sessions = OccupantPresence.Audience(room).Select(a => a.Session).ToList();
        }
        await muc.Rooms.SaveRoomAsync(room, ct);
        foreach (var s in sessions) await occupancy.SendSubjectAsync(room, s, ct);
    }

    private async ValueTask OnPrivateAsync(XElement message, CancellationToken ct)
    {
        var room = muc.RequireRoom(message);
        var from = message.GetFrom()!;
        var to = message.GetTo()!;
        XElement copy;
        List<Jid> targets;
        lock (room.Sync)
        {
            var sender = room.FindOccupantBySession(from)
                         ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable, "only occupants may send private messages"));
            if (!room.Config.AllowPrivateMessages && message.GetStanzaType() != "groupchat")
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAllowed, "private messages are off in this room"));
            if (message.GetStanzaType() == "groupchat")
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "a private message is not of type groupchat"));
            var target = room.FindOccupant(to.Resource!)
                         ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, "nobody has that nick in this room"));
            copy = new XElement(message);
            copy.SetAttributeValue("from", muc.OccupantJid(room, sender.Nick));
            copy.SetAttributeValue("to", null);
            copy.Add(new XElement(Ns.MucUser + "x"));
            copy.Add(new XElement(MucService.OccupantIdNs + "occupant-id", new XAttribute("id", sender.OccupantId)));
            targets = target.Sessions.Keys.ToList();
        }
        await muc.Broadcaster.EnqueueUnarchivedAsync(muc.Sender, copy, targets, ct);
    }

    // A delivery to an occupant's client bounced: that client is gone from the room. From a relay's
    // room (its bare JID, where the room's one copy goes), every session behind the relay is.
    private async ValueTask OnBounceAsync(XElement error, CancellationToken ct)
    {
        var from = error.GetFrom()!;
        var room = muc.FindRoom(error);
        if (room is null) return;
        if (from.IsBare)
        {
            await occupancy.ExitRelayAsync(room, from, ct);
            return;
        }
        Occupant? o;
        lock (room.Sync) o = room.FindOccupantBySession(from);
        if (o is null) return;
        await occupancy.ExitSessionAsync(room, o, from, ct);
    }
}
