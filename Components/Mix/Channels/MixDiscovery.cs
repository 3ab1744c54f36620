using XmppGroupChat.Component.Routing;
using XmppGroupChat.Component.Services;
using XmppGroupChat.Mix.Features;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Channels;

/// <summary>
/// Service and channel discovery (XEP-0369 §discovery, the seed's serviceinfo form, XEP-0408's
/// muc-mirror form), and ping for every entity that exists.
/// </summary>
public sealed class MixDiscovery(ChannelService mix)
{
    public const string CreateChannelFeature = "urn:xmpp:mix:core:1#create-channel";
    public const string SearchableFeature = "urn:xmpp:mix:core:1#searchable";

    public void Declare(RouteTable routes)
    {
        routes.AddServiceDiscovery("MIX: discovery", Info, Items);
        routes.AddPing("MIX: ping", jid => jid.Equals(mix.Domain) || (jid.IsBare && mix.Rooms.Find(jid) is { Removed: false }));
    }

    private DiscoInfo? Info(Jid entity, string? node, Jid requester)
    {
        if (entity.Equals(mix.Domain) && node is null) return ServiceInfo(requester);
        if (entity.Local is null || entity.Resource != null || node != null) return null;
        if (mix.Rooms.Find(entity) is not { Removed: false } room) return null;
        return new DiscoInfo()
            .AddIdentity(new DiscoIdentity("conference", "mix", RoomNaming.Name(room.Config) ?? room.Jid.Local))
            .AddFeature(Ns.DiscoInfo.NamespaceName)
            .AddFeature(Ns.DiscoItems.NamespaceName)
            .AddFeature(Ns.MixCore.NamespaceName)
            .AddFeature(Ns.Mix0.NamespaceName)
            .AddFeature(MiscProtocol.Namespace.NamespaceName)
            .AddFeature(MiscProtocol.NickRegisterFeature)
            .AddFeature(Ns.Mam.NamespaceName)
            .AddFeature(Ns.StanzaId.NamespaceName)
            .AddFeature(Ns.Ping.NamespaceName);
    }

    private DiscoInfo ServiceInfo(Jid requester)
    {
        var info = new DiscoInfo()
            .AddIdentity(new DiscoIdentity("conference", "mix", "MIX service"))
            .AddFeature(Ns.DiscoInfo.NamespaceName)
            .AddFeature(Ns.DiscoItems.NamespaceName)
            .AddFeature(Ns.Ping.NamespaceName)
            .AddFeature(Ns.MixCore.NamespaceName)
            .AddFeature(SearchableFeature)
            .AddFeature(Ns.Mix0.NamespaceName);
        if (mix.Settings.MayCreate(requester)) info.AddFeature(CreateChannelFeature);
        if (mix.Settings.MucDomain is { } muc)
        {
            var seedForm = new DataForm("result") { FormType = "urn:xmpp:mix:0#serviceinfo" };
            seedForm.SetValue("urn:xmpp:mix:nodes:muc_mirror", muc);
            info.AddExtension(seedForm);
            var mucMirror = new DataForm("result") { FormType = "urn:xmpp:mix:muc:0#muc-mirror" };
            mucMirror.SetValue("muc-mirror", muc, DataFormFieldType.JidSingle);
            info.AddExtension(mucMirror);
        }
        return info;
    }

    private DiscoItems? Items(Jid entity, string? node, Jid requester)
    {
        if (entity.Equals(mix.Domain))
        {
            if (node != null) return null;
            var items = new DiscoItems();
            foreach (var room in mix.Rooms.Rooms.Where(PublicListing.IsListed).OrderBy(r => r.Jid.Local, StringComparer.Ordinal))
                items.AddItem(room.Jid, RoomNaming.Name(room.Config));
            return items;
        }
        if (entity.Local is null || entity.Resource != null) return null;
        if (mix.Rooms.Find(entity) is not { Removed: false } channel) return null;
        // XEP-0369 lists the channel's nodes under node='mix'; a bare query gets the same answer,
        // since this domain is not also a MUC service.
        var nodes = new DiscoItems(node);
        foreach (var n in new[] { MixNodes.Presence, MixNodes.Participants, MixNodes.Messages, MixNodes.Info })
            nodes.AddItem(channel.Jid, null, n);
        return node is null or "mix" ? nodes : null;
    }
}
