using System.Xml.Linq;
using XmppGroupChat.Component.Routing;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Features;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Channels;

/// <summary>
/// Joining and leaving a channel, nick and subscription changes (XEP-0369 core:1 and core:0, and
/// the seed's mix:0). A join comes from a full JID (a client speaking directly) or from a bare
/// JID (relayed by the user's server under MIX-PAM); the result always carries the stable
/// participant id, the nodes actually subscribed and the nick. Who may join is the room's join rules'.
/// </summary>
public sealed class Membership(ChannelService mix, ChannelPresence presence)
{
    public static readonly XNamespace[] Dialects = [Ns.MixCore, Ns.MixCore0, Ns.Mix0];

    public void Declare(RouteTable routes)
    {
        foreach (var ns in Dialects)
        {
            routes.Iq(AddressKind.Entity, IqType.Set, ns + "join", "MIX: membership", JoinAsync);
            routes.Iq(AddressKind.Entity, IqType.Set, ns + "leave", "MIX: membership", LeaveAsync);
        }
        foreach (var ns in new[] { Ns.MixCore, Ns.MixCore0 })
        {
            routes.Iq(AddressKind.Entity, IqType.Set, ns + "setnick", "MIX: membership", SetNickAsync);
            routes.Iq(AddressKind.Entity, IqType.Set, ns + "update-subscription", "MIX: membership", UpdateSubscriptionAsync);
        }
    }

    private async ValueTask<XElement?> JoinAsync(XElement iq, CancellationToken ct)
    {
        var join = iq.GetPayload()!;
        var ns = join.Name.Namespace;
        var from = iq.GetFrom()!;
        var room = mix.RequireRoom(iq);
        // slixmpp nests <subscribe> inside a <subscribe> wrapper; the XEP puts them directly in <join>.
        var requested = join.Descendants(ns + "subscribe").Select(s => (string?)s.Attribute("node"))
            .Where(n => n != null).Cast<string>().ToHashSet(StringComparer.Ordinal);
        var nodes = requested.Where(n => MixNodes.Subscribable.Contains(n)).ToList();

        var existing = room.FindParticipant(from.Bare);
        var nick = NickRules.Normalize(join.Element(ns + "nick")?.Value) ?? existing?.Nick ?? mix.Rooms.RegisteredNick(from);
        if (nick is null && ns == Ns.Mix0) nick = from.Local ?? from.Domain; // the seed lets the service assign one
        var attempt = new JoinAttempt(Face.Mix, from, nick, join) { ExistingParticipant = existing };
        mix.Features.CheckJoin(room, attempt);
        // XEP-0407: a join with a valid invitation puts the invitee on the allowed list.
        if (attempt.AdmittedByInvitation) room.SetAffiliation(from, Affiliation.Member);

        var isNew = existing is null;
        var participant = existing ?? new Participant(RoomRegistry.NewParticipantId(room), from.Bare, nick, nodes, DateTimeOffset.UtcNow, ns);
        var nickChanged = !isNew && !string.Equals(participant.Nick, nick, StringComparison.Ordinal);
        participant.Nick = nick;
        participant.Dialect = ns;
        participant.Subscriptions.Clear();
        participant.Subscriptions.UnionWith(nodes);
        if (isNew) room.Add(participant);
        participant.ViaServer = from.IsBare;
        if (!from.IsBare) participant.OnlineResources.Add(from);
        try
        {
            if (attempt.AdmittedByInvitation) await mix.Rooms.SaveRoomAsync(room, ct);
            await mix.Rooms.SaveParticipantAsync(room, participant, ct);
        }
        catch when (isNew)
        {
            room.Remove(participant);
            throw;
        }
        if (isNew || nickChanged) await ParticipantEvents.NotifyAsync(mix, room, participant, retract: false, ct);
        await mix.Conversation.PresenceChangedAsync(room, ChannelPresence.ParticipantChange(participant, from, null), ct);

        var result = ns == Ns.Mix0
            ? new XElement(ns + "join", new XAttribute("jid", from.Bare.ToString()))
            : new XElement(ns + "join", new XAttribute("id", participant.Id));
        foreach (var node in nodes) result.Add(new XElement(ns + "subscribe", new XAttribute("node", node)));
        if (participant.Nick != null) result.Add(new XElement(ns + "nick", participant.Nick));
        return result;
    }

    private async ValueTask<XElement?> LeaveAsync(XElement iq, CancellationToken ct)
    {
        var ns = iq.GetPayload()!.Name.Namespace;
        var from = iq.GetFrom()!;
        var room = mix.RequireRoom(iq);
        var participant = room.FindParticipant(from.Bare)
                          ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, "you are not a participant"));
        await mix.Rooms.DeleteParticipantAsync(room, participant, ct);
        await presence.WithdrawAllAsync(room, participant, ct);
        var leaverTargets = participant.DeliveryTargets.ToList();
        room.Remove(participant);
        participant.OnlineResources.Clear();
        await mix.Conversation.PresenceChangedAsync(room, ChannelPresence.ParticipantChange(participant, from, null), ct);
        await ParticipantEvents.NotifyAsync(mix, room, participant, retract: true, ct);
        // The leaver is gone from the node, so tell them too.
        if (participant.IsSubscribed(MixNodes.Participants) && leaverTargets.Count > 0)
            await ParticipantEvents.NotifyLeaverAsync(mix, room, participant, leaverTargets, ct);
        await mix.Conversation.RemoveIfAbandonedAsync(room, ct);
        return new XElement(ns + "leave");
    }

    private async ValueTask<XElement?> SetNickAsync(XElement iq, CancellationToken ct)
    {
        var setnick = iq.GetPayload()!;
        var ns = setnick.Name.Namespace;
        var from = iq.GetFrom()!;
        var room = mix.RequireRoom(iq);
        var nick = NickRules.Normalize(setnick.Element(ns + "nick")?.Value)
                   ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "<setnick/> needs a non-empty <nick/>"));
        var participant = ChannelService.RequireParticipant(room, from);
        mix.Features.Nicks.RequireFree(room, nick, from);
        var previous = participant.Nick;
        participant.Nick = nick;
        try
        {
            await mix.Rooms.SaveParticipantAsync(room, participant, ct);
        }
        catch
        {
            participant.Nick = previous;
            throw;
        }
        if (!string.Equals(previous, nick, StringComparison.Ordinal))
        {
            await ParticipantEvents.NotifyAsync(mix, room, participant, retract: false, ct);
            await mix.Conversation.PresenceChangedAsync(room, ChannelPresence.ParticipantChange(participant, from, null), ct);
        }
        return new XElement(ns + "setnick", new XElement(ns + "nick", nick));
    }

    private async ValueTask<XElement?> UpdateSubscriptionAsync(XElement iq, CancellationToken ct)
    {
        var update = iq.GetPayload()!;
        var ns = update.Name.Namespace;
        var from = iq.GetFrom()!;
        var room = mix.RequireRoom(iq);
        var participant = ChannelService.RequireParticipant(room, from);
        foreach (var s in update.Elements(ns + "subscribe"))
            if ((string?)s.Attribute("node") is { } node && MixNodes.Subscribable.Contains(node)) participant.Subscriptions.Add(node);
        foreach (var s in update.Elements(ns + "unsubscribe"))
            if ((string?)s.Attribute("node") is { } node) participant.Subscriptions.Remove(node);
        if (!from.IsBare) participant.OnlineResources.Add(from);
        await mix.Rooms.SaveParticipantAsync(room, participant, ct);
        var result = new XElement(ns + "update-subscription", new XAttribute("jid", from.Bare.ToString()));
        foreach (var node in participant.Subscriptions) result.Add(new XElement(ns + "subscribe", new XAttribute("node", node)));
        return result;
    }
}
