using System.Xml.Linq;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Channels;

/// <summary>
/// The seed's way of talking (urn:xmpp:mix:0): pubsub publish to the messages node (archived
/// and reflected like any channel message, so core participants see it too) and to the presence
/// node (kept as the participant's current presence and pushed to presence subscribers).
/// </summary>
public sealed class Mix0Publishing(ChannelService mix)
{
    /// <summary>The current seed presence items of a room.</summary>
    public static IEnumerable<(string Id, XElement Presence)> PresenceItems(Room room) =>
        room.Participants.Where(p => p.SeedPresence != null).Select(p => (p.Id, p.SeedPresence!));

    public async ValueTask<XElement?> PublishAsync(XElement iq, XElement publish, CancellationToken ct)
    {
        var room = mix.RequireRoom(iq);
        var from = iq.GetFrom()!;
        var participant = ChannelService.RequireParticipant(room, from);
        var node = (string?)publish.Attribute("node");
        var item = publish.Element(Ns.PubSub + "item")
                   ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "<publish/> needs an <item/>"));
        if (!from.IsBare) participant.OnlineResources.Add(from);

        switch (node)
        {
            case MixNodes.Messages:
                if (!item.Elements().Any())
                    throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "the item carries no message content"));
                var speaker = new Speaker(participant.Id, participant.Nick, participant.BareJid);
                var archived = await mix.Conversation.SpeakAsync(room, new Speech(Face.Mix, speaker, item.Elements().ToList(), iq), ct);
                return Result(node, archived.Id);
            case MixNodes.Presence:
                var presence = item.Element(Ns.Client + "presence") ?? item.Element(Ns.Component + "presence")
                               ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "the item carries no <presence/>"));
                var stored = StoredMessage.Restamp(presence, Ns.Client);
                participant.SeedPresence = stored;
                await NotifyPresenceAsync(mix, room, participant, stored, ct);
                return Result(node, participant.Id);
            default:
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, $"participants may not publish to '{node}'"));
        }
    }

    private static XElement Result(string node, string id) =>
        new(Ns.PubSub + "pubsub", new XElement(Ns.PubSub + "publish", new XAttribute("node", node),
            new XElement(Ns.PubSub + "item", new XAttribute("id", id))));

    public static async ValueTask RetractPresenceAsync(ChannelService mix, Room room, Participant p, CancellationToken ct)
    {
        var had = p.SeedPresence != null;
        p.SeedPresence = null;
        if (had) await NotifyPresenceAsync(mix, room, p, null, ct);
    }

    private static async ValueTask NotifyPresenceAsync(ChannelService mix, Room room, Participant p, XElement? presence, CancellationToken ct)
    {
        var targets = ChannelService.SubscriberTargets(room, MixNodes.Presence).GetValueOrDefault(Ns.Mix0);
        if (targets is null || targets.Count == 0) return;
        var items = new XElement(Ns.PubSubEvent + "items", new XAttribute("node", MixNodes.Presence),
            presence is null
                ? new XElement(Ns.PubSubEvent + "retract", new XAttribute("id", p.Id))
                : new XElement(Ns.PubSubEvent + "item", new XAttribute("id", p.Id), new XAttribute("publisher", p.Id), new XElement(presence)));
        var message = new XElement(Ns.Component + "message", new XAttribute("from", room.Jid.ToString()),
            new XAttribute("id", Stanza.NewId()), new XElement(Ns.PubSubEvent + "event", items));
        await mix.SendAsync(message, targets, ct);
    }
}
