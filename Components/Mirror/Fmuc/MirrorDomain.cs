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
            settings.RoomFireAndForget.Count, settings.HistorySize, settings.RoomCheckSeconds);
        var ids = SessionIds.LoadOrCreate(Path.Combine(storage.Path, SessionKeyFile));
        var host = services.GetRequiredService<MirrorHost>();
        var mirror = new MirrorService(sender, settings, ids, logger, store: host.Store);
        var reassertion = Wire(router, mirror);
        reassertion.Remember(mirror.Restore(host.Restored));
        if (host.Restored.Count > 0) _ = ReassertWhenConnectedAsync(sender, reassertion, logger);
    }

    // The restored sessions' presences go out once the link is up; stanzas meanwhile meet them as joined.
    private static async Task ReassertWhenConnectedAsync(IStanzaSender sender, Reassertion reassertion, ILogger logger)
    {
        try
        {
            if (sender is ComponentLink link) await link.WhenConnected;
            await reassertion.ReassertAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            MirrorLog.ReassertFailed(logger, ex);
        }
    }

    /// <summary>Registers every handler of the mirror; returns what re-asserts restored sessions after a restart.</summary>
    public static Reassertion Wire(StanzaRouter router, MirrorService mirror)
    {
        router.AddServiceDiscovery(mirror.Domain, ServiceInfo())
              .AddPing(jid => jid.Equals(mirror.Domain));
        var joining = new Joining(mirror);
        var recovery = new Recovery(mirror, joining);
        var messages = new Messages(mirror, recovery);
        joining.Services.Register(router);
        var iqs = new IqRelay(mirror, recovery);
        new Inbound(mirror, joining, new Leaving(mirror), new Occupants(mirror, messages, joining, recovery), messages, iqs)
            .Register(router);
        iqs.StartRoomChecks();
        return new Reassertion(mirror, joining);
    }
}
