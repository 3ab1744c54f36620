using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Component;
using XmppGroupChat.Component.Services;
using XmppGroupChat.Hosting;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>The mirror's domain (mirror.&lt;server&gt;): wires each concern's handlers to the link.</summary>
public static class MirrorDomain
{
    /// <summary>The key behind session proxy JIDs, in Storage:Path.</summary>
    public const string SessionKeyFile = "proxy-session.key";

    public static DiscoInfo ServiceInfo() => new DiscoInfo()
        .AddIdentity(new DiscoIdentity("conference", "text", "FMUC mirror"))
        .AddFeature(Ns.DiscoInfo.NamespaceName)
        .AddFeature(Ns.DiscoItems.NamespaceName)
        .AddFeature(Ns.Ping.NamespaceName)
        .AddFeature(Ns.Fmuc.NamespaceName);

    public static void Configure(StanzaRouter router, IStanzaSender sender, IServiceProvider services)
    {
        var config = services.GetRequiredService<IConfiguration>();
        var storage = services.GetRequiredService<StorageSettings>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("XmppGroupChat.Mirror");
        var settings = MirrorSettings.Read(config, sender.Domain.ToString());
        MirrorLog.Configured(logger, sender.Domain.ToString(), string.Join(", ", settings.Users), settings.FireAndForget,
            settings.RoomFireAndForget.Count, settings.HistorySize);
        var ids = SessionIds.LoadOrCreate(Path.Combine(storage.Path, SessionKeyFile));
        Wire(router, new MirrorService(sender, settings, ids, logger));
    }

    /// <summary>Registers every handler of the mirror.</summary>
    public static void Wire(StanzaRouter router, MirrorService mirror)
    {
        router.AddServiceDiscovery(mirror.Domain, ServiceInfo())
              .AddPing(jid => jid.Equals(mirror.Domain));
        var messages = new Messages(mirror);
        new Inbound(mirror, new Joining(mirror), new Leaving(mirror), new Occupants(mirror, messages), messages, new IqRelay(mirror))
            .Register(router);
    }
}
