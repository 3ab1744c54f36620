using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Component;
using XmppGroupChat.Hosting;
using XmppGroupChat.Mix.Mam;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Mix;

/// <summary>The MIX face of the room host (mix.&lt;server&gt;): wires each concern's handlers to the link.</summary>
public static class MixDomain
{
    public static void Configure(StanzaRouter router, IStanzaSender sender, IServiceProvider services)
    {
        var host = services.GetRequiredService<RoomHost>();
        var config = services.GetRequiredService<IConfiguration>();
        var muc = ComponentSettings.ReadSecondary(config, "Muc", "muc").Domain;
        var mix = new MixService(host.Rooms, host.Archive, host.Broadcaster, sender,
            MixSettings.Read(config, sender.Domain.ToString(), muc),
            host.Invitations,
            services.GetRequiredService<ILoggerFactory>().CreateLogger("XmppGroupChat.Mix"));
        Wire(router, mix);
        host.MixFace = mix;
        mix.OtherFaces = (room, archived) => host.MucFace?.Deliveries(room, archived) ?? [];
    }

    /// <summary>Registers every MIX handler; also used by the tests with their own sender.</summary>
    public static void Wire(StanzaRouter router, MixService mix)
    {
        var messages = new ChannelMessages(mix);
        mix.Messages = messages;
        new MixDiscovery(mix).Register(router);
        new ChannelLifecycle(mix).Register(router);
        var presence = new ChannelPresence(mix);
        mix.Presence = presence;
        new Membership(mix, mix.Invitations, presence).Register(router);
        new NickRegistration(mix).Register(router);
        new NodeItems(mix, new Mix0Publishing(mix, messages), new AdminNodes(mix)).Register(router);
        new MiscNickRegistration(mix).Register(router);
        new MiscInvitations(mix).Register(router);
        new MiscRetraction(mix, messages).Register(router); // before messages: it takes every message to a channel
        messages.Register(router);
        presence.Register(router);
        new MamQueries(mix.Archive, mix.Sender, mix.RequireRoom,
            (room, jid) => room.FindParticipant(jid.Bare) != null || room.IsAdmin(jid),
            (m, room, viewer) => Reflection.ForCore(m, room, MixService.ShowsJidsTo(room, viewer)),
            room => room.Jid).Register(router);
    }
}
