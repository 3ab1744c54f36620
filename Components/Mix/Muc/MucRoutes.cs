using XmppGroupChat.Component.Routing;
using XmppGroupChat.Mix.Dmuc;
using XmppGroupChat.Mix.Mam;
using XmppGroupChat.Mix.Rooms;

namespace XmppGroupChat.Mix.Muc;

/// <summary>
/// The MUC face (muc.&lt;server&gt;): every handler it has, each declaring what it takes, and the
/// DMUC2 primary's when replicas are configured. The route table refuses two handlers for the same
/// stanza, so this list can be read in any order.
/// </summary>
public static class MucRoutes
{
    public static RouteTable Declare(RouteTable routes, MucService muc, Occupancy occupancy, DmucPrimary? primary)
    {
        new RoomDiscovery(muc, primary?.Traffic).Declare(routes);
        occupancy.Declare(routes);
        new MediatedInvitations(muc).Declare(routes);
        new RoomMessages(muc, occupancy, primary?.Resubmission).Declare(routes);
        new RoomBounces(occupancy, primary?.Traffic).Declare(routes);
        new RoomAdmin(muc).Declare(routes);
        new RoomOwner(muc).Declare(routes);
        primary?.Declare(routes);
        // A query relayed by a mirror comes from its proxy session: the room answers as it would the real user.
        new MamQueries(muc.Conversation.Archive, muc.Sender, muc.RequireRoom,
            (room, from) => MucService.RealJidOf(room, from) is var jid && (room.FindOccupantByJid(jid) != null || room.FindParticipant(jid) != null
                            || room.IsAdmin(jid) || (!Features.MembersOnly.IsOn(room.Config) && Features.PublicListing.IsPublic(room.Config))),
            (m, room, viewer) => MucFace.ForOccupants(muc, room, m, MucService.SeesJids(room, MucService.RealJidOf(room, viewer))),
            muc.RoomJid).Declare(routes, "MUC: archive");
        return routes;
    }
}
