using System.Xml.Linq;
using XmppGroupChat.Component.Routing;
using XmppGroupChat.Mix.Features;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Channels;

/// <summary>
/// Pubsub on channel nodes: items-get of the participants, info and presence nodes (readable by
/// participants and admins) and of the admin nodes; publish to messages and presence (the seed's
/// mix:0 dialect), to info, config, allowed and banned (MIX-ADMIN), and retract from allowed and banned.
/// </summary>
public sealed class NodeItems(ChannelService mix, Mix0Publishing mix0, AdminNodes admin)
{
    public void Declare(RouteTable routes)
    {
        routes.Iq(AddressKind.Entity, IqType.Get, Ns.PubSub + "pubsub", "MIX: channel nodes", GetAsync);
        routes.Iq(AddressKind.Entity, IqType.Set, Ns.PubSub + "pubsub", "MIX: channel nodes", SetAsync);
    }

    private ValueTask<XElement?> GetAsync(XElement iq, CancellationToken ct)
    {
        var room = mix.RequireRoom(iq);
        var from = iq.GetFrom()!;
        var itemsRequest = iq.GetPayload()!.Element(Ns.PubSub + "items")
                           ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.FeatureNotImplemented, "only items retrieval is supported on channel nodes"));
        var node = (string?)itemsRequest.Attribute("node");
        var items = new XElement(Ns.PubSub + "items", new XAttribute("node", node ?? ""));
        if (AdminNodes.IsAdminNode(node))
        {
            items.Add(admin.Items(room, from, node!));
            return ValueTask.FromResult<XElement?>(new XElement(Ns.PubSub + "pubsub", items));
        }
        {
            var requester = room.FindParticipant(from.Bare);
            if (requester is null && !room.IsAdmin(from))
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "only participants may read the channel's nodes"));
            var dialect = requester?.Dialect ?? Ns.MixCore;
            var seesJids = ChannelService.ShowsJidsTo(room, from);
            switch (node)
            {
                case MixNodes.Participants:
                    foreach (var p in room.Participants.OrderBy(p => p.Joined))
                        items.Add(new XElement(Ns.PubSub + "item", new XAttribute("id", p.Id), ParticipantEvents.Item(p, dialect, seesJids)));
                    break;
                case MixNodes.Info:
                    items.Add(new XElement(Ns.PubSub + "item", new XAttribute("id", XmppDateTime.Format(room.Created)), InfoForm(room).ToElement()));
                    break;
                case MixNodes.Presence:
                    if (dialect == Ns.Mix0)
                        foreach (var (id, presence) in Mix0Publishing.PresenceItems(room))
                            items.Add(new XElement(Ns.PubSub + "item", new XAttribute("id", id), new XElement(presence)));
                    else
                        items.Add(ChannelPresence.Items(room, seesJids));
                    break;
                case MixNodes.Messages:
                    break; // history is in MAM, the messages node keeps no items
                default:
                    throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, $"the channel has no node '{node}'"));
            }
        }
        return ValueTask.FromResult<XElement?>(new XElement(Ns.PubSub + "pubsub", items));
    }

    private async ValueTask<XElement?> SetAsync(XElement iq, CancellationToken ct)
    {
        var pubsub = iq.GetPayload()!;
        var from = iq.GetFrom()!;
        if (pubsub.Element(Ns.PubSub + "retract") is { } retract)
        {
            await admin.RetractAsync(mix.RequireRoom(iq), from, (string?)retract.Attribute("node") ?? "", retract, ct);
            return null;
        }
        var publish = pubsub.Element(Ns.PubSub + "publish")
                      ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.FeatureNotImplemented, "only publish and retract are supported on channel nodes"));
        var node = (string?)publish.Attribute("node");
        if (node is MixNodes.Messages or MixNodes.Presence) return await mix0.PublishAsync(iq, publish, ct);
        if (node is MixNodes.Info || AdminNodes.IsAdminNode(node))
            return await admin.PublishAsync(mix.RequireRoom(iq), from, node!, publish, ct);
        throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, $"nobody may publish to '{node}'"));
    }

    /// <summary>The info node's form (XEP-0369 §info node).</summary>
    public static DataForm InfoForm(Room room)
    {
        var form = new DataForm("result") { FormType = Ns.MixCore.NamespaceName };
        if (RoomNaming.Name(room.Config) is { } name) form.SetValue(RoomNaming.NameField, name);
        if (RoomNaming.Description(room.Config) is { } description) form.SetValue(RoomNaming.DescriptionField, description);
        var owners = room.WithAffiliation(Affiliation.Owner).Select(j => j.ToString()).ToList();
        if (owners.Count > 0) form.SetValues("Contact", owners, DataFormFieldType.JidMulti);
        return form;
    }
}
