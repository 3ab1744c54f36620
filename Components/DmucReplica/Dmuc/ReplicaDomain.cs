using XmppGroupChat.Component;
using XmppGroupChat.Component.Services;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>What the replica's domain (dmuc-replica.&lt;server&gt;) answers.</summary>
public static class ReplicaDomain
{
    public static DiscoInfo ServiceInfo() => new DiscoInfo()
        .AddIdentity(new DiscoIdentity("conference", "text", "DMUC2 replica"))
        .AddFeature(Ns.DiscoInfo.NamespaceName)
        .AddFeature(Ns.DiscoItems.NamespaceName)
        .AddFeature(Ns.Ping.NamespaceName);

    public static void Configure(StanzaRouter router, IStanzaSender sender, IServiceProvider services)
    {
        router.AddServiceDiscovery(sender.Domain, ServiceInfo())
              .AddPing(jid => jid.Equals(sender.Domain));
    }
}
