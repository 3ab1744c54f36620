using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Component;
using XmppGroupChat.Component.Routing;
using XmppGroupChat.Concurrency;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Load;

/// <summary>
/// The program's second role: the bare component whose throughput is the ceiling of the component
/// path. One XEP-0114 link (Shared's <see cref="ComponentLink"/>), a router with two handlers, and
/// <see cref="CeilingRoom"/>. It stops on SIGTERM, or by itself when its parent (the driver) goes
/// away and standard input closes.
/// </summary>
public static class CeilingComponent
{
    public const string Mode = "ceiling-component";
    public const string SecretVariable = "LOAD_COMPONENT_SECRET";
    public const string ReadyLine = "ceiling component ready";

    public const string MucIdsFlag = "--muc-ids";

    public static string[] Arguments(int port, string domain, bool mucIds) =>
        [Mode, "--port", port.ToString(), "--domain", domain, .. mucIds ? new[] { MucIdsFlag } : []];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length is not (4 or 5) || args[0] != "--port" || !int.TryParse(args[1], out var port) || args[2] != "--domain" ||
            (args.Length == 5 && args[4] != MucIdsFlag))
        {
            Console.Error.WriteLine($"usage: {Mode} --port PORT --domain DOMAIN [{MucIdsFlag}] (secret in ${SecretVariable})");
            return 2;
        }
        var mucIds = args.Length == 5;
        var options = new ComponentOptions
        {
            Host = "127.0.0.1",
            Port = port,
            Domain = args[3],
            Secret = Environment.GetEnvironmentVariable(SecretVariable) ?? "",
        };
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Information));
        var logger = loggers.CreateLogger("ceiling");
        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            stop.Cancel();
        });
        _ = Task.Run(() =>
        {
            // Returns at end of input: the driver has exited or closed our stdin.
            Console.In.ReadToEnd();
            stop.Cancel();
        });

        // The room sends through the link's outbound end, which exists before the link does.
        var sender = new LinkSender(options);
        var room = new CeilingRoom(sender, mucIds);
        var routes = new RouteTable()
            .Presence(AddressKind.Resource, PresenceType.Available, "ceiling", room.OnPresenceAsync)
            .Presence(AddressKind.Resource, PresenceType.Unavailable, "ceiling", room.OnPresenceAsync)
            .Message(AddressKind.Entity, MessageType.Groupchat, "ceiling", room.OnGroupchatAsync)
            .Build();
        var link = new ComponentLink(options, sender, new StanzaDispatcher(routes, sender, new SingleScope(new SerialExecutor("ceiling", logger)), logger), logger);

        var run = link.RunAsync(stop.Token);
        if (await Task.WhenAny(link.WhenConnected, run) == link.WhenConnected) Console.WriteLine(ReadyLine);
        try
        {
            await run;
            return 0;
        }
        catch (ComponentConfigurationException)
        {
            return 1;
        }
    }
}
