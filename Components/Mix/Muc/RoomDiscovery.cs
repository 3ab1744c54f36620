using System.Globalization;
using System.Xml.Linq;
using XmppGroupChat.Component.Routing;
using XmppGroupChat.Component.Services;
using XmppGroupChat.Mix.Dmuc;
using XmppGroupChat.Mix.Features;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Muc;

/// <summary>
/// Discovery on the MUC face (XEP-0045 §disco): the service (conference/text, the muc feature,
/// public rooms), each room (features and a muc#roominfo form, contributed by the room features),
/// and XEP-0410 self-ping, answered by the room for its occupants.
/// </summary>
public sealed class RoomDiscovery(MucService muc, ReplicaTraffic? replicas)
{
    public const string SelfPingFeature = "http://jabber.org/protocol/muc#self-ping-optimization";

    public void Declare(RouteTable routes)
    {
        routes.AddServiceDiscovery("MUC: discovery", Info, Items);
        foreach (var to in new[] { AddressKind.Service, AddressKind.Entity, AddressKind.Resource })
            routes.Iq(to, IqType.Get, Ns.Ping + "ping", "MUC: ping and self-ping", PingAsync);
    }

    private DiscoInfo? Info(Jid entity, string? node, Jid requester)
    {
        if (entity.Equals(muc.Domain))
            return node is null ? new DiscoInfo()
                .AddIdentity(new DiscoIdentity("conference", "text", "Chatrooms"))
                .AddFeature(Ns.DiscoInfo.NamespaceName).AddFeature(Ns.DiscoItems.NamespaceName)
                .AddFeature(Ns.Muc.NamespaceName).AddFeature(Ns.Ping.NamespaceName)
                .AddFeature(Ns.Fmuc.NamespaceName) : null; // an FMUC master: trusted mirrors get one copy per message
        if (entity.Local is null || entity.Resource != null || node != null) return null;
        if (muc.Rooms.Find(entity) is not { Removed: false } room) return null;
        var info = new DiscoInfo()
            .AddIdentity(new DiscoIdentity("conference", "text", RoomNaming.Name(room.Config) ?? room.Jid.Local))
            .AddFeature(Ns.Muc.NamespaceName).AddFeature(Ns.DiscoInfo.NamespaceName).AddFeature(Ns.DiscoItems.NamespaceName);
        var form = new DataForm("result") { FormType = "http://jabber.org/protocol/muc#roominfo" };
        muc.Features.Describe(room, info, form);
        form.SetValue("muc#roominfo_occupants", room.Occupants.Count.ToString(CultureInfo.InvariantCulture), DataFormFieldType.TextSingle);
        info.AddFeature(Ns.Mam.NamespaceName).AddFeature(Ns.StanzaId.NamespaceName)
            .AddFeature(MucService.OccupantIdNs.NamespaceName).AddFeature(SelfPingFeature);
        info.AddExtension(form);
        return info;
    }

    private DiscoItems? Items(Jid entity, string? node, Jid requester)
    {
        if (entity.Equals(muc.Domain))
        {
            var items = new DiscoItems();
            foreach (var room in muc.Rooms.Rooms.Where(PublicListing.IsListed).OrderBy(r => r.Jid.Local, StringComparer.Ordinal))
                items.AddItem(muc.RoomJid(room), RoomNaming.Name(room.Config));
            return items;
        }
        if (entity.Local is null || entity.Resource != null) return null;
        if (muc.Rooms.Find(entity) is not { Removed: false } found) return null;
        // Occupants are listed only where real JIDs are no secret anyway (XEP-0045 §disco-roomitems MAY).
        var list = new DiscoItems();
        if (JidVisibility.ToEveryone(found.Config))
            foreach (var o in found.Occupants) list.AddItem(Jid.Parse(muc.OccupantJid(found, o.Nick)));
        return list;
    }

    // XEP-0410: a ping to one's own occupant JID is answered by the room while the client is in it.
    private ValueTask<XElement?> PingAsync(XElement iq, CancellationToken ct)
    {
        var to = iq.GetTo()!;
        var from = iq.GetFrom()!;
        if (to.Equals(muc.Domain)) return ValueTask.FromResult<XElement?>(null);
        var room = muc.RequireRoom(iq);
        if (to.Resource is null)
        {
            replicas?.OnRoomPing(room, from); // a replica's keepalive: refused if it must register (again)
            return ValueTask.FromResult<XElement?>(null);
        }
        var me = room.FindOccupantBySession(from);
        if (me is null || me.Nick != to.Resource)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable, "you are not in this room under that nick"));
        return ValueTask.FromResult<XElement?>(null);
    }
}
