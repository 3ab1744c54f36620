using XmppGroupChat.Component;
using XmppGroupChat.Component.Services;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Mix;

/// <summary>The MIX face of the room host (mix.&lt;server&gt;): what the service domain answers.</summary>
public static class MixDomain
{
    public static DiscoInfo ServiceInfo() => new DiscoInfo()
        .AddIdentity(new DiscoIdentity("conference", "mix", "MIX service"))
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
