using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>
/// A local user's messages into the room (XEP-0282 §replica forwards stanza to primary, addressable
/// form). A groupchat message goes to the primary from R/&lt;sid&gt; with the same id and payload and an
/// origin-id (the replica adds one if the client gave none), and is kept as pending until the
/// primary's copy comes back, so a split or a restart cannot lose it and a resubmission cannot double
/// it. Local users see it when that copy arrives, like everyone else. Private messages and subject
/// changes are relayed as they are. During a split, <see cref="SplitChat"/> decides.
/// </summary>
public sealed class Submission(ReplicaService replica, SplitChat splitChat)
{
    public async ValueTask OnGroupchatAsync(XElement message, CancellationToken ct)
    {
        var (room, session) = await RequireJoinedAsync(message, ct);
        using var _ = await ReplicaService.LockAsync(room, ct);
        if (room.Forgotten || session.State != SessionState.Joined) throw NotAnOccupant();
        var live = room.Link == PrimaryLink.Live;
        var hasBody = message.Element(Ns.Component + "body") != null;
        if (!hasBody)
        {
            if (live) await replica.SendAsync(Upstream.Relay(room, session, message, room.Primary), ct);
            else if (message.Element(Ns.Component + "subject") != null) throw Unreachable("the subject cannot change");
            else await splitChat.DeliverTransientAsync(room, session, message, ct);
            return;
        }

        var stanza = new XElement(message);
        stanza.SetAttributeValue("from", null);
        stanza.SetAttributeValue("to", null);
        var originId = PendingMessage.OriginIdOf(stanza);
        if (originId is null)
        {
            originId = Stanza.NewId();
            stanza.Add(new XElement(Ns.StanzaId + "origin-id", new XAttribute("id", originId)));
        }
        if (room.Pending.Any(p => p.OriginId == originId && p.Sid == session.Sid)) return; // the client sent it twice
        var pending = new PendingMessage(originId, session.Nick, session.Sid, session.User, stanza, replica.Now, DeliveredLocally: false);
        if (!live)
        {
            // Talking without the primary only where the room lets this user talk at all (no voice, no split chat).
            if (session.Role == "visitor")
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "you have no voice in this moderated room"));
            await splitChat.AcceptAsync(room, pending, ct);
            return;
        }
        room.Pending.Add(pending);
        await replica.Store.SavePendingAsync(room, pending, ct);
        await replica.SendAsync(Upstream.Message(room, pending, resubmission: false), ct);
    }

    /// <summary>A message to R/Nick: a private message through the primary to room/Nick.</summary>
    public async ValueTask OnPrivateAsync(XElement message, CancellationToken ct)
    {
        if (message.GetStanzaType() == "groupchat")
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "a private message is not of type groupchat"));
        var (room, session) = await RequireJoinedAsync(message, ct);
        using var _ = await ReplicaService.LockAsync(room, ct);
        if (room.Forgotten || session.State != SessionState.Joined) throw NotAnOccupant();
        if (room.Link != PrimaryLink.Live) throw Unreachable("your message was not sent");
        await replica.SendAsync(Upstream.Relay(room, session, message, room.Primary.WithResource(message.GetTo()!.Resource!)), ct);
    }

    /// <summary>The primary refused a session's message (error to R/&lt;sid&gt;): the user gets the error, and it is no longer pending. Caller holds the gate.</summary>
    public async ValueTask OnRefusedAsync(ReplicatedRoom room, LocalSession session, XElement error, CancellationToken ct)
    {
        var originId = PendingMessage.OriginIdOf(error);
        var refused = room.Pending.FirstOrDefault(p => p.Sid == session.Sid && originId != null && p.OriginId == originId)
                      ?? room.Pending.FirstOrDefault(p => p.Sid == session.Sid && error.GetId() != null && p.Stanza.GetId() == error.GetId());
        if (refused != null)
        {
            room.Pending.Remove(refused);
            await replica.Store.DeletePendingAsync(room, refused, ct);
        }
        var copy = new XElement(error);
        copy.SetAttributeValue("from", LocalView.Rewrite(room, (string?)error.Attribute("from")));
        copy.SetAttributeValue("to", session.User.ToString());
        await replica.SendAsync(copy, ct);
    }

    private async ValueTask<(ReplicatedRoom, LocalSession)> RequireJoinedAsync(XElement message, CancellationToken ct)
    {
        var room = replica.FindRoom(message.GetTo()!) ?? throw NotAnOccupant();
        using var _ = await ReplicaService.LockAsync(room, ct);
        return room.Sessions.TryGetValue(message.GetFrom()!, out var session) && session.State == SessionState.Joined
            ? (room, session)
            : throw NotAnOccupant();
    }

    private static StanzaErrorException NotAnOccupant() =>
        new(StanzaError.Of(StanzaErrorCondition.NotAcceptable, "only occupants may send messages to the room"));

    private static StanzaErrorException Unreachable(string what) =>
        new(new StanzaError(StanzaErrorType.Wait, StanzaErrorCondition.RecipientUnavailable, $"the room's primary is unreachable (netsplit); {what}"));
}
