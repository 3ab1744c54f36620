using System.Xml.Linq;
using XmppGroupChat.Component.Routing;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Features;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Channels;

/// <summary>
/// Creating channels (named, or ad hoc with a service-chosen name) and destroying them (owners
/// only), both addressed to the service (XEP-0369 §create, §destroy). The service hands the work to
/// the channel's own executor, so a create or destroy keeps its place among the channel's stanzas.
/// </summary>
public sealed class ChannelLifecycle(ChannelService mix)
{
    public void Declare(RouteTable routes)
    {
        foreach (var ns in new[] { Ns.MixCore, Ns.MixCore0 })
        {
            routes.Iq(AddressKind.Service, IqType.Set, ns + "create", "MIX: channel lifecycle", CreateAsync);
            routes.Iq(AddressKind.Service, IqType.Set, ns + "destroy", "MIX: channel lifecycle", DestroyAsync);
            routes.Iq(AddressKind.Entity, IqType.Set, ns + "create", "MIX: channel lifecycle", SendToServiceAsync);
            routes.Iq(AddressKind.Entity, IqType.Set, ns + "destroy", "MIX: channel lifecycle", SendToServiceAsync);
        }
    }

    private async ValueTask<XElement?> CreateAsync(XElement iq, CancellationToken ct)
    {
        var create = iq.GetPayload()!;
        var ns = create.Name.Namespace;
        var from = iq.GetFrom()!;
        if (!mix.Settings.MayCreate(from))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "you may not create channels on this service"));

        var requested = (string?)create.Attribute("channel");
        var adHoc = string.IsNullOrEmpty(requested);
        var name = adHoc ? Ids.NewChannelName() : requested!;
        if (!Jid.TryParse($"{name}@{mix.Domain}", out var roomJid) || roomJid.Resource != null || roomJid.Local != name.ToLowerInvariant())
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.JidMalformed, $"'{name}' cannot be a channel name"));

        var config = RoomConfig.Empty;
        if (!adHoc) config = config.With(RoomNaming.NameField, name);
        if (adHoc) config = config.With(PublicListing.Field, false); // ad-hoc channels are private conversations
        var room = await CreateOnItsExecutorAsync(roomJid, from, config, ct);
        while (room is null && adHoc)
            room = await CreateOnItsExecutorAsync(Jid.Parse($"{Ids.NewChannelName()}@{mix.Domain}"), from, config, ct);
        if (room is null)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Conflict, $"the channel {roomJid} exists"));
        return new XElement(ns + "create", new XAttribute("channel", room.Jid.Local!));
    }

    private Task<Room?> CreateOnItsExecutorAsync(Jid roomJid, Jid owner, RoomConfig config, CancellationToken ct) =>
        mix.Rooms.InvokeAsync(roomJid.Local!, async () => await mix.Rooms.CreateAsync(roomJid, owner, config, ct));

    private async ValueTask<XElement?> DestroyAsync(XElement iq, CancellationToken ct)
    {
        var destroy = iq.GetPayload()!;
        var ns = destroy.Name.Namespace;
        var from = iq.GetFrom()!;
        var name = (string?)destroy.Attribute("channel");
        if (string.IsNullOrEmpty(name) || !Jid.TryParse($"{name}@{mix.Domain}", out var roomJid))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "<destroy/> needs a 'channel'"));
        await mix.Rooms.InvokeAsync<bool>(roomJid.Local!, async () =>
        {
            var room = mix.Rooms.Find(roomJid) is { Removed: false } r ? r
                : throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, $"no channel {roomJid}"));
            if (!room.IsOwner(from))
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "only an owner may destroy the channel"));
            await mix.Conversation.DestroyAsync(room, new Destruction(), ct);
            return true;
        });
        return new XElement(ns + "destroy", new XAttribute("channel", roomJid.Local!));
    }

    private ValueTask<XElement?> SendToServiceAsync(XElement iq, CancellationToken ct) =>
        throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, $"send this to the service, {mix.Domain}"));
}
