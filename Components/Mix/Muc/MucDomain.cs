using XmppGroupChat.Component;
using XmppGroupChat.Component.Services;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Muc;

/// <summary>The MUC face of the room host (muc.&lt;server&gt;): what the service domain answers.</summary>
public static class MucDomain
{
    public static DiscoInfo ServiceInfo() => new DiscoInfo()
        .AddIdentity(new DiscoIdentity("conference", "text", "Chatrooms"))
        .AddFeature(Ns.DiscoInfo.NamespaceName)
        .AddFeature(Ns.DiscoItems.NamespaceName)
        .AddFeature(Ns.Ping.NamespaceName);

    public static void Configure(StanzaRouter router, IStanzaSender sender, IServiceProvider services)
    {
        var info = ServiceInfo();
        router.AddServiceDiscovery(sender.Domain, info)
              .AddPing(jid => jid.Equals(sender.Domain));
    }
}
