using System.Xml.Linq;
using XmppGroupChat.Component;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Mix;

/// <summary>
/// Creating channels (named, or ad hoc with a service-chosen name) and destroying them (owners
/// only), both addressed to the service (XEP-0369 §create, §destroy).
/// </summary>
public sealed class ChannelLifecycle(MixService mix)
{
    public void Register(StanzaRouter router)
    {
        foreach (var ns in new[] { Ns.MixCore, Ns.MixCore0 })
        {
            router.OnIqSet(ns + "create", CreateAsync);
            router.OnIqSet(ns + "destroy", DestroyAsync);
        }
    }

    private async ValueTask<XElement?> CreateAsync(XElement iq, CancellationToken ct)
    {
        var create = iq.GetPayload()!;
        var ns = create.Name.Namespace;
        var from = iq.GetFrom()!;
        RequireService(iq);
        if (!mix.Settings.MayCreate(from))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "you may not create channels on this service"));

        var requested = (string?)create.Attribute("channel");
        var adHoc = string.IsNullOrEmpty(requested);
        var name = adHoc ? Ids.NewChannelName() : requested!;
        if (!Jid.TryParse($"{name}@{mix.Domain}", out var roomJid) || roomJid.Resource != null || roomJid.Local != name.ToLowerInvariant())
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.JidMalformed, $"'{name}' cannot be a channel name"));

        var config = new RoomConfig();
        if (!adHoc) config.Set(RoomConfig.NameField, name);
        if (adHoc) config.Set(RoomConfig.PublicField, "false"); // ad-hoc channels are private conversations
        var room = await mix.Rooms.CreateAsync(roomJid, from, config, ct);
        while (room is null && adHoc)
            room = await mix.Rooms.CreateAsync(Jid.Parse($"{Ids.NewChannelName()}@{mix.Domain}"), from, config, ct);
        if (room is null)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Conflict, $"the channel {roomJid} exists"));
        return new XElement(ns + "create", new XAttribute("channel", room.Jid.Local!));
    }

    private async ValueTask<XElement?> DestroyAsync(XElement iq, CancellationToken ct)
    {
        var destroy = iq.GetPayload()!;
        var ns = destroy.Name.Namespace;
        var from = iq.GetFrom()!;
        RequireService(iq);
        var name = (string?)destroy.Attribute("channel");
        if (string.IsNullOrEmpty(name) || !Jid.TryParse($"{name}@{mix.Domain}", out var roomJid))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "<destroy/> needs a 'channel'"));
        var room = mix.Rooms.Find(roomJid)
                   ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, $"no channel {roomJid}"));
        lock (room.Sync)
        {
            if (!room.IsOwner(from))
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "only an owner may destroy the channel"));
        }
        if (mix.DestroyEverywhere is { } everywhere) await everywhere(room, ct);
        else
        {
            lock (room.Sync) room.MarkRemoved();
            await mix.Rooms.DestroyAsync(room, ct);
            await mix.Archive.DeleteArchiveAsync(room.Jid.ToString(), ct);
        }
        return new XElement(ns + "destroy", new XAttribute("channel", room.Jid.Local!));
    }

    private void RequireService(XElement iq)
    {
        if (!iq.GetTo()!.IsDomain)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, $"send this to the service, {mix.Domain}"));
    }
}
