using XmppGroupChat.Component;
using XmppGroupChat.Component.Services;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>What the mirror's domain (mirror.&lt;server&gt;) answers.</summary>
public static class MirrorDomain
{
    public static DiscoInfo ServiceInfo() => new DiscoInfo()
        .AddIdentity(new DiscoIdentity("conference", "text", "FMUC mirror"))
        .AddFeature(Ns.DiscoInfo.NamespaceName)
        .AddFeature(Ns.DiscoItems.NamespaceName)
        .AddFeature(Ns.Ping.NamespaceName);

    public static void Configure(StanzaRouter router, IStanzaSender sender, IServiceProvider services)
    {
        router.AddServiceDiscovery(sender.Domain, ServiceInfo())
              .AddPing(jid => jid.Equals(sender.Domain));
    }
}
