using XmppGroupChat.Component.Routing;
using XmppGroupChat.Mix.Mam;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Channels;

/// <summary>
/// The MIX face (mix.&lt;server&gt;): every handler it has, each declaring what it takes. The route
/// table refuses two handlers for the same stanza, so this list can be read in any order.
/// </summary>
public static class ChannelRoutes
{
    public static RouteTable Declare(RouteTable routes, ChannelService mix)
    {
        var presence = new ChannelPresence(mix);
        new MixDiscovery(mix).Declare(routes);
        new ChannelLifecycle(mix).Declare(routes);
        new Membership(mix, presence).Declare(routes);
        new NickRegistration(mix).Declare(routes);
        new NodeItems(mix, new Mix0Publishing(mix), new AdminNodes(mix)).Declare(routes);
        new MiscNickRegistration(mix).Declare(routes);
        new MiscInvitations(mix).Declare(routes);
        new MiscRetraction(mix).Declare(routes);
        new ChannelMessages(mix).Declare(routes);
        presence.Declare(routes);
        new MamQueries(mix.Conversation.Archive, mix.Sender, mix.RequireRoom,
            (room, jid) => room.FindParticipant(jid.Bare) != null || room.IsAdmin(jid),
            (m, room, viewer) => Reflection.ForCore(m, room, ChannelService.ShowsJidsTo(room, viewer)),
            room => room.Jid).Declare(routes, "MIX: archive");
        return routes;
    }
}
