using System.Xml.Linq;
using XmppGroupChat.Component;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Mix;

/// <summary>
/// MIX-PRESENCE (XEP-0403): a participant's client sends presence to the channel; the channel
/// records it on the presence node and sends it, as presence from
/// participant-id#channel@service/resource with the sender's nick (and JID where shown), to every
/// subscriber of the presence node. Directed presence is also how the channel learns which
/// resources are online to receive messages. The seed's mix:0 participants get pubsub events instead.
/// </summary>
public sealed class ChannelPresence(MixService mix)
{
    public static readonly XNamespace Presence = "urn:xmpp:mix:presence:0";

    public void Register(StanzaRouter router) => router.OnPresence(OnPresenceAsync, p => p.GetTo()!.Local != null);

    private async ValueTask OnPresenceAsync(XElement presence, CancellationToken ct)
    {
        var from = presence.GetFrom()!;
        var type = presence.GetStanzaType();
        if (type is "error" or "probe" or "subscribe" or "subscribed" or "unsubscribe" or "unsubscribed") return;
        var room = mix.Rooms.Find(presence.GetTo()!.Bare);
        if (room is null)
        {
            if (type is null) throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, "no such channel"));
            return;
        }
        if (from.IsBare) return; // presence belongs to a client; the PAM server relays full JIDs

        Participant? p;
        XElement? stored = null;
        var shared = true;
        lock (room.Sync)
        {
            p = room.FindParticipant(from.Bare);
            if (p is null)
            {
                // 'Open Presence' is off: only participants may share presence.
                if (type is null) throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "only participants may share presence with this channel"));
                return;
            }
            if (type is null)
            {
                p.OnlineResources.Add(from);
                stored = new XElement(Ns.Client + "presence", presence.Elements()
                    .Where(e => e.Name.Namespace != Presence && e.Name.Namespace != Ns.Muc)
                    .Select(e => Reflection.Restamp(e, Ns.Client)));
                p.Presences[from] = stored;
            }
            else
            {
                p.OnlineResources.Remove(from);
                shared = p.Presences.Remove(from); // if it never shared presence there is nothing to withdraw
            }
        }
        if (shared) await BroadcastAsync(room, p, from, stored, ct);
        if (mix.ParticipantPresenceChanged is { } other) await other(room, p, ct);
        if (type == "unavailable" && p.Dialect == Ns.Mix0)
            await Mix0Publishing.RetractPresenceAsync(mix, room, p, ct);
    }

    /// <summary>Sends one resource's presence (or its unavailable) to the core subscribers of the presence node.</summary>
    public ValueTask BroadcastAsync(Room room, Participant p, Jid resource, XElement? presence, CancellationToken ct) =>
        BroadcastAsync(room, MessageSender.Of(p), resource, presence, ct);

    /// <summary>
    /// The same for anyone in the room: a participant, or a MUC occupant (shown under its occupant
    /// id, so MIX participants see who is in the room on the other face too).
    /// </summary>
    public async ValueTask BroadcastAsync(Room room, MessageSender who, Jid resource, XElement? presence, CancellationToken ct)
    {
        var from = $"{who.Id}#{room.Jid}/{resource.Resource}";
        // The seed's participants see presence as pubsub events (Mix0Publishing), not as presence.
        var groups = MixService.SubscriberTargets(room, MixNodes.Presence, s => MixService.ShowsJidsTo(room, s.BareJid), s => s.Dialect != Ns.Mix0);
        foreach (var (seesJid, targets) in groups)
        {
            var stanza = new XElement(Ns.Component + "presence", new XAttribute("from", from), new XAttribute("id", Stanza.NewId()));
            if (presence is null) stanza.SetAttributeValue("type", "unavailable");
            stanza.Add(MixElement(who.Nick, resource, seesJid));
            if (presence != null) stanza.Add(presence.Elements().Select(e => Reflection.Restamp(e, Ns.Component)));
            await mix.Broadcaster.EnqueueUnarchivedAsync(mix.Sender, stanza, targets, ct);
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
        List<Jid> resources;
        lock (room.Sync)
        {
            resources = p.Presences.Keys.ToList();
            p.Presences.Clear();
        }
        foreach (var r in resources) await BroadcastAsync(room, p, r, null, ct);
    }

    private static XElement MixElement(string? nick, Jid resource, bool withJid)
    {
        var mixElement = new XElement(Presence + "mix");
        if (withJid) mixElement.Add(new XElement(Presence + "jid", resource.ToString()));
        if (nick != null) mixElement.Add(new XElement(Presence + "nick", nick));
        return mixElement;
    }
}
