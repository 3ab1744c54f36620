using XmppGroupChat.Component;
using XmppGroupChat.Component.Routing;
using XmppGroupChat.Component.Services;
using XmppGroupChat.Concurrency;
using XmppGroupChat.Component.Services;

namespace XmppGroupChat.Tests.Unit.Component;

/// <summary>
/// A link to <see cref="Domain"/> running against a <see cref="FakeComponentServer"/>, answering
/// pings, with its log recorded: for the tests that drive the link from the server's side.
/// </summary>
internal sealed class LinkHarness : IAsyncDisposable
{
    public const string Domain = "mix.test";
    private readonly CancellationTokenSource _stop = new();

    private LinkHarness(Func<ComponentOptions, ComponentOptions>? tweak, LinkGroup? group)
    {
        var options = new ComponentOptions
        {
            Host = "127.0.0.1",
            Port = Server.Port,
            Domain = Domain,
            Secret = FakeComponentServer.Secret,
            ReconnectBaseDelay = TimeSpan.FromMilliseconds(20),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
            ShutdownTimeout = TimeSpan.FromMilliseconds(500),
        };
        options = tweak?.Invoke(options) ?? options;
        var sender = new LinkSender(options);
        var routes = new RouteTable().AddPing("test", jid => jid.Equals(sender.Domain)).Build();
        Link = new ComponentLink(options, sender, new StanzaDispatcher(routes, sender, new SingleScope(new SerialExecutor("test", Logger)), Logger), Logger, group);
        Run = Link.RunAsync(_stop.Token);
    }

    public FakeComponentServer Server { get; } = new();
    public RecordingLogger Logger { get; } = new();
    public ComponentLink Link { get; }

    /// <summary>The link's RunAsync: it ends only on shutdown or a configuration error.</summary>
    public Task Run { get; }

    public static LinkHarness Start(Func<ComponentOptions, ComponentOptions>? tweak = null, LinkGroup? group = null) => new(tweak, group);

    /// <summary>The next connection, once the link has finished its handshake on it.</summary>
    public async Task<FakeConnection> ConnectedAsync()
    {
        var c = await Server.NextConnectionAsync();
        await Link.WhenConnected.WaitAsync(TimeSpan.FromSeconds(10));
        return c;
    }

    public static string Ping(string id, string to = Domain) =>
        $"<iq type='get' id='{id}' from='user@test/r' to='{to}'><ping xmlns='urn:xmpp:ping'/></iq>";

    public static string PingResult(string id, string from = Domain) =>
        $"<iq xmlns='jabber:component:accept' type='result' id='{id}' from='{from}' to='user@test/r'/>";

    /// <summary>The error stanza the link answers a stanza with, as the tests expect it whole.</summary>
    public static string Error(string kind, string id, string from, string condition, string errorType, string text, string to = "user@test/r") =>
        $"<{kind} xmlns='jabber:component:accept' type='error' id='{id}' from='{from}' to='{to}'>" +
        $"<error type='{errorType}'><{condition} xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>" +
        $"<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' xml:lang='en'>{text}</text></error></{kind}>";

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { await Run.WaitAsync(TimeSpan.FromSeconds(10)); }
        catch (ComponentConfigurationException) { }
        await Server.DisposeAsync();
        _stop.Dispose();
    }
}
