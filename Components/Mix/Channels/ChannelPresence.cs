using System.Xml.Linq;
using XmppGroupChat.Component;
using XmppGroupChat.Component.Routing;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Channels;

/// <summary>
/// MIX-PRESENCE (XEP-0403): a participant's client sends presence to the channel; the channel
/// records it on the presence node and sends it, as presence from
/// participant-id#channel@service/resource with the sender's nick (and JID where shown), to every
/// subscriber of the presence node. Directed presence is also how the channel learns which
/// resources are online to receive messages. The seed's mix:0 participants get pubsub events instead.
/// </summary>
public sealed class ChannelPresence(ChannelService mix)
{
    public static readonly XNamespace Presence = "urn:xmpp:mix:presence:0";

    public void Declare(RouteTable routes)
    {
        foreach (var to in new[] { AddressKind.Entity, AddressKind.Resource })
        {
            routes.Presence(to, PresenceType.Available, "MIX: presence", OnPresenceAsync);
            routes.Presence(to, PresenceType.Unavailable, "MIX: presence", OnPresenceAsync);
        }
    }

    private async ValueTask OnPresenceAsync(XElement presence, CancellationToken ct)
    {
        var from = presence.GetFrom()!;
        var available = presence.GetPresenceType() == PresenceType.Available;
        var room = mix.Rooms.Find(presence.GetTo()!);
        if (room is null)
        {
            if (available) throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, "no such channel"));
            return;
        }
        if (from.IsBare) return; // presence belongs to a client; the PAM server relays full JIDs

        var p = room.FindParticipant(from.Bare);
        if (p is null)
        {
            // 'Open Presence' is off: only participants may share presence.
            if (available) throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "only participants may share presence with this channel"));
            return;
        }
        XElement? stored = null;
        bool shared;
        if (available)
        {
            p.OnlineResources.Add(from);
            stored = new XElement(Ns.Client + "presence", presence.Elements()
                .Where(e => e.Name.Namespace != Presence && e.Name.Namespace != Ns.Muc)
                .Select(e => StoredMessage.Restamp(e, Ns.Client)));
            p.Presences[from] = stored;
            shared = true;
        }
        else
        {
            p.OnlineResources.Remove(from);
            shared = p.Presences.Remove(from); // if it never shared presence there is nothing to withdraw
        }
        var deliveries = new Deliveries();
        if (shared) AddBroadcast(room, new Speaker(p.Id, p.Nick, p.BareJid), from, stored, mix.Sender, deliveries);
        await deliveries.SendAsync(ct);
        await mix.Conversation.PresenceChangedAsync(room, ParticipantChange(p, from, stored), ct);
        if (!available && p.Dialect == Ns.Mix0) await Mix0Publishing.RetractPresenceAsync(mix, room, p, ct);
    }

    /// <summary>What the other faces hear of a participant's change (they show it as an occupant).</summary>
    public static PresenceChange ParticipantChange(Participant p, Jid resource, XElement? presence) =>
        new(Face.Mix, new Speaker(p.Id, p.Nick, p.BareJid), resource, presence, Participant: p);

    /// <summary>
    /// One resource's presence (or its unavailable) for the core subscribers of the presence node:
    /// a participant's, or anyone else's in the room (a MUC occupant, under its occupant id).
    /// </summary>
    public static void AddBroadcast(Room room, Speaker who, Jid resource, XElement? presence, IStanzaSender via, Deliveries deliveries)
    {
        var from = $"{who.Id}#{room.Jid}/{resource.Resource}";
        // The seed's participants see presence as pubsub events (Mix0Publishing), not as presence.
        var groups = ChannelService.SubscriberTargets(room, MixNodes.Presence, s => ChannelService.ShowsJidsTo(room, s.BareJid), s => s.Dialect != Ns.Mix0);
        foreach (var (seesJid, targets) in groups)
        {
            var stanza = new XElement(Ns.Component + "presence", new XAttribute("from", from), new XAttribute("id", Stanza.NewId()));
            if (presence is null) stanza.SetAttributeValue("type", "unavailable");
            stanza.Add(MixElement(who.Nick, resource, seesJid));
            if (presence != null) stanza.Add(presence.Elements().Select(e => StoredMessage.Restamp(e, Ns.Component)));
            deliveries.Add(via, stanza, targets);
        }
    }

    /// <summary>Presence-node items for core readers: one per online resource that shared presence.</summary>
    public static IEnumerable<XElement> Items(Room room, bool seesJids)
    {
        foreach (var p in room.Participants)
            foreach (var (resource, presence) in p.Presences)
            {
                var item = new XElement(Ns.Client + "presence", MixElement(p.Nick, resource, seesJids), presence.Elements().Select(e => new XElement(e)));
                yield return new XElement(Ns.PubSub + "item", new XAttribute("id", $"{p.Id}#{room.Jid}/{resource.Resource}"), item);
            }
    }

    /// <summary>On leave, the participant's resources go unavailable for everyone.</summary>
    public async ValueTask WithdrawAllAsync(Room room, Participant p, CancellationToken ct)
    {
        var resources = p.Presences.Keys.ToList();
        p.Presences.Clear();
        var deliveries = new Deliveries();
        foreach (var r in resources) AddBroadcast(room, new Speaker(p.Id, p.Nick, p.BareJid), r, null, mix.Sender, deliveries);
        await deliveries.SendAsync(ct);
    }

    private static XElement MixElement(string? nick, Jid resource, bool withJid)
    {
        var mixElement = new XElement(Presence + "mix");
        if (withJid) mixElement.Add(new XElement(Presence + "jid", resource.ToString()));
        if (nick != null) mixElement.Add(new XElement(Presence + "nick", nick));
        return mixElement;
    }
}
