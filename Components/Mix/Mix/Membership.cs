using System.Xml.Linq;
using XmppGroupChat.Component;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Mix;

/// <summary>
/// Joining and leaving a channel, nick and subscription changes (XEP-0369 core:1 and core:0, and
/// the seed's mix:0). A join comes from a full JID (a client speaking directly) or from a bare
/// JID (relayed by the user's server under MIX-PAM); the result always carries the stable
/// participant id, the nodes actually subscribed and the nick.
/// </summary>
public sealed class Membership(MixService mix, IInvitationCheck invitations, ChannelPresence presence)
{
    public static readonly XNamespace[] Dialects = [Ns.MixCore, Ns.MixCore0, Ns.Mix0];

    public void Register(StanzaRouter router)
    {
        foreach (var ns in Dialects)
        {
            router.OnIqSet(ns + "join", JoinAsync);
            router.OnIqSet(ns + "leave", LeaveAsync);
        }
        foreach (var ns in new[] { Ns.MixCore, Ns.MixCore0 })
        {
            router.OnIqSet(ns + "setnick", SetNickAsync);
            router.OnIqSet(ns + "update-subscription", UpdateSubscriptionAsync);
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
        var requestedNick = NormalizeNick(join.Element(ns + "nick")?.Value);

        Participant participant;
        bool isNew, nickChanged, invited = false;
        lock (room.Sync)
        {
            room.RequireNotRemoved();
            if (room.IsBanned(from))
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "you are banned from this channel"));
            if (!room.IsAllowed(from))
            {
                if (!invitations.Admits(room, from, join))
                    throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "this channel admits only JIDs on its allowed list"));
                // XEP-0407: a join with a valid invitation puts the invitee on the allowed list.
                room.Affiliations[from.Bare] = "member";
                invited = true;
            }
            var existing = room.FindParticipant(from.Bare);
            var nick = requestedNick ?? existing?.Nick ?? mix.Rooms.RegisteredNick(from);
            if (nick is null && ns == Ns.Mix0) nick = from.Local ?? from.Domain; // the seed lets the service assign one
            if (nick is null && room.Config.MandatoryNicks)
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable, "this channel requires a nick"));
            if (nick != null) CheckNickFree(room, nick, from);

            isNew = existing is null;
            participant = existing ?? new Participant(RoomRegistry.NewParticipantId(room), from.Bare, nick, nodes, DateTimeOffset.UtcNow, ns);
            nickChanged = !isNew && !string.Equals(participant.Nick, nick, StringComparison.Ordinal);
            participant.Nick = nick;
            participant.Dialect = ns;
            participant.Subscriptions.Clear();
            participant.Subscriptions.UnionWith(nodes);
            if (isNew) room.Add(participant);
            participant.ViaServer = from.IsBare;
            if (!from.IsBare) participant.OnlineResources.Add(from);
        }
        try
        {
            if (invited) await mix.Rooms.SaveRoomAsync(room, ct);
            await mix.Rooms.SaveParticipantAsync(room, participant, ct);
        }
        catch when (isNew)
        {
            lock (room.Sync)
            {
                room.Remove(participant);
                // The owner destroyed the channel while the join was being saved: nothing of it remains.
                room.RequireNotRemoved();
            }
            throw;
        }
        if (isNew || nickChanged) await ParticipantEvents.NotifyAsync(mix, room, participant, retract: false, ct);
        if (mix.ParticipantPresenceChanged is { } other) await other(room, participant, ct);

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
        Participant participant;
        lock (room.Sync)
        {
            participant = room.FindParticipant(from.Bare)
                          ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, "you are not a participant"));
        }
        await mix.Rooms.DeleteParticipantAsync(room, participant, ct);
        await presence.WithdrawAllAsync(room, participant, ct);
        List<Jid> leaverTargets;
        lock (room.Sync)
        {
            leaverTargets = participant.DeliveryTargets.ToList();
            room.Remove(participant);
            participant.OnlineResources.Clear();
        }
        if (mix.ParticipantPresenceChanged is { } other) await other(room, participant, ct);
        await ParticipantEvents.NotifyAsync(mix, room, participant, retract: true, ct);
        // The leaver is gone from the node, so tell them too.
        if (participant.IsSubscribed(MixNodes.Participants) && leaverTargets.Count > 0)
            await NotifyLeaverAsync(room, leaverTargets, participant, ct);
        return new XElement(ns + "leave");
    }

    private async Task NotifyLeaverAsync(Room room, List<Jid> targets, Participant p, CancellationToken ct)
    {
        var message = new XElement(Ns.Component + "message",
            new XAttribute("from", room.Jid.ToString()), new XAttribute("id", Stanza.NewId()),
            new XElement(Ns.PubSubEvent + "event",
                new XElement(Ns.PubSubEvent + "items", new XAttribute("node", MixNodes.Participants),
                    new XElement(Ns.PubSubEvent + "retract", new XAttribute("id", p.Id)))));
        await mix.Broadcaster.EnqueueUnarchivedAsync(mix.Sender, message, targets, ct);
    }

    private async ValueTask<XElement?> SetNickAsync(XElement iq, CancellationToken ct)
    {
        var setnick = iq.GetPayload()!;
        var ns = setnick.Name.Namespace;
        var from = iq.GetFrom()!;
        var room = mix.RequireRoom(iq);
        var nick = NormalizeNick(setnick.Element(ns + "nick")?.Value)
                   ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "<setnick/> needs a non-empty <nick/>"));
        var participant = MixService.RequireParticipant(room, from);
        string? previous;
        lock (room.Sync)
        {
            room.RequireNotRemoved();
            CheckNickFree(room, nick, from);
            previous = participant.Nick;
            participant.Nick = nick;
        }
        try
        {
            await mix.Rooms.SaveParticipantAsync(room, participant, ct);
        }
        catch
        {
            lock (room.Sync) participant.Nick = previous;
            throw;
        }
        if (!string.Equals(previous, nick, StringComparison.Ordinal))
        {
            await ParticipantEvents.NotifyAsync(mix, room, participant, retract: false, ct);
            if (mix.ParticipantPresenceChanged is { } other) await other(room, participant, ct);
        }
        return new XElement(ns + "setnick", new XElement(ns + "nick", nick));
    }

    private async ValueTask<XElement?> UpdateSubscriptionAsync(XElement iq, CancellationToken ct)
    {
        var update = iq.GetPayload()!;
        var ns = update.Name.Namespace;
        var from = iq.GetFrom()!;
        var room = mix.RequireRoom(iq);
        var participant = MixService.RequireParticipant(room, from);
        List<string> now;
        // (the subscription change below keeps how the participant joined: direct or through its server)
        lock (room.Sync)
        {
            room.RequireNotRemoved();
            foreach (var s in update.Elements(ns + "subscribe"))
                if ((string?)s.Attribute("node") is { } node && MixNodes.Subscribable.Contains(node)) participant.Subscriptions.Add(node);
            foreach (var s in update.Elements(ns + "unsubscribe"))
                if ((string?)s.Attribute("node") is { } node) participant.Subscriptions.Remove(node);
            if (!from.IsBare) participant.OnlineResources.Add(from);
            now = participant.Subscriptions.ToList();
        }
        await mix.Rooms.SaveParticipantAsync(room, participant, ct);
        var result = new XElement(ns + "update-subscription", new XAttribute("jid", from.Bare.ToString()));
        foreach (var node in now) result.Add(new XElement(ns + "subscribe", new XAttribute("node", node)));
        return result;
    }

    private void CheckNickFree(Room room, string nick, Jid user)
    {
        if (room.NickTaken(nick, user.Bare) || mix.NickHeldElsewhere?.Invoke(room, nick, user.Bare) == true)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Conflict, $"the nick '{nick}' is taken in this channel"));
        if (mix.Rooms.NickOwner(nick) is { } owner && !owner.BareEquals(user))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Conflict, $"the nick '{nick}' is registered by someone else"));
    }

    /// <summary>Trims a nick; empty means none. Nicks are limited like a JID resource (1023 bytes).</summary>
    public static string? NormalizeNick(string? nick)
    {
        nick = nick?.Trim();
        if (string.IsNullOrEmpty(nick)) return null;
        if (System.Text.Encoding.UTF8.GetByteCount(nick) > 1023 || nick.Any(char.IsControl))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable, "nicks are at most 1023 bytes, without control characters"));
        return nick;
    }
}
