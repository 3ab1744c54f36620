using System.Xml.Linq;
using XmppGroupChat.Component;
using XmppGroupChat.Component.Services;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Muc;

/// <summary>
/// Discovery on the MUC face (XEP-0045 §disco): the service (conference/text, the muc feature,
/// public rooms), each room (features that describe its configuration and a muc#roominfo form),
/// and XEP-0410 self-ping, answered by the room for its occupants.
/// </summary>
public sealed class RoomDiscovery(MucService muc)
{
    public const string SelfPingFeature = "http://jabber.org/protocol/muc#self-ping-optimization";

    public void Register(StanzaRouter router)
    {
        router.AddServiceDiscovery(Info, Items);
        router.OnIqGet(Ns.Ping + "ping", PingAsync);
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
        var room = muc.FindRoom(new XElement("x", new XAttribute("to", entity.ToString())));
        if (room is null) return null;
        lock (room.Sync)
        {
            var c = room.Config;
            var info = new DiscoInfo()
                .AddIdentity(new DiscoIdentity("conference", "text", c.Name ?? room.Jid.Local))
                .AddFeature(Ns.Muc.NamespaceName).AddFeature(Ns.DiscoInfo.NamespaceName).AddFeature(Ns.DiscoItems.NamespaceName)
                .AddFeature(c.Persistent ? "muc_persistent" : "muc_temporary")
                .AddFeature(c.AllowedOnly ? "muc_membersonly" : "muc_open")
                .AddFeature(c.JidsVisible ? "muc_nonanonymous" : "muc_semianonymous")
                .AddFeature(c.Moderated ? "muc_moderated" : "muc_unmoderated")
                .AddFeature(c.Password != null ? "muc_passwordprotected" : "muc_unsecured")
                .AddFeature(c.Public ? "muc_public" : "muc_hidden")
                .AddFeature(Ns.Mam.NamespaceName).AddFeature(Ns.StanzaId.NamespaceName)
                .AddFeature(MucService.OccupantIdNs.NamespaceName).AddFeature(SelfPingFeature);
            var form = new DataForm("result") { FormType = "http://jabber.org/protocol/muc#roominfo" };
            form.SetValue("muc#roominfo_description", c.Description ?? "", DataFormFieldType.TextSingle);
            form.SetValue("muc#roominfo_occupants", room.Occupants.Count.ToString(), DataFormFieldType.TextSingle);
            form.SetValue("muc#roominfo_subject", room.Subject ?? "", DataFormFieldType.TextSingle);
            form.SetValue("muc#roomconfig_roomname", c.Name ?? "", DataFormFieldType.TextSingle);
            form.SetValue("muc#roomconfig_changesubject", c.OccupantsChangeSubject);
            info.AddExtension(form);
            return info;
        }
    }

    private DiscoItems? Items(Jid entity, string? node, Jid requester)
    {
        if (entity.Equals(muc.Domain))
        {
            var items = new DiscoItems();
            foreach (var room in muc.Rooms.Rooms.Where(r => r.Config.Public && !r.Locked).OrderBy(r => r.Jid.Local, StringComparer.Ordinal))
                items.AddItem(muc.RoomJid(room), room.Config.Name);
            return items;
        }
        if (entity.Local is null || entity.Resource != null) return null;
        var found = muc.FindRoom(new XElement("x", new XAttribute("to", entity.ToString())));
        if (found is null) return null;
        // Occupants are listed only where real JIDs are no secret anyway (XEP-0045 §disco-roomitems MAY).
        var list = new DiscoItems();
        lock (found.Sync)
            if (found.Config.JidsVisible)
                foreach (var o in found.Occupants) list.AddItem(Jid.Parse(muc.OccupantJid(found, o.Nick)));
        return list;
    }

    // XEP-0410: a ping to one's own occupant JID is answered by the room while the client is in it.
    private ValueTask<XElement?> PingAsync(XElement iq, CancellationToken ct)
    {
        var to = iq.GetTo()!;
        var from = iq.GetFrom()!;
        if (to.Equals(muc.Domain)) return ValueTask.FromResult<XElement?>(null);
        var room = muc.FindRoom(iq) ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, "no such room"));
        if (to.Resource is null)
        {
            muc.Dmuc?.Traffic.OnRoomPing(room, from); // a replica's keepalive: refused if it must register (again)
            return ValueTask.FromResult<XElement?>(null);
        }
        lock (room.Sync)
        {
            var me = room.FindOccupantBySession(from);
            if (me is null || me.Nick != to.Resource)
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable, "you are not in this room under that nick"));
        }
        return ValueTask.FromResult<XElement?>(null);
    }
}
