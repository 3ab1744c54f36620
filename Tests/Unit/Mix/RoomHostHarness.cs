using System.Collections.Concurrent;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Archive;
using XmppGroupChat.Mix.Channels;
using XmppGroupChat.Mix.Composition;
using XmppGroupChat.Mix.Dmuc;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Tests.Unit.Support;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Mix;

/// <summary>
/// The room host as the program composes it (<see cref="RoomHostComposition"/>), with a real archive
/// in a temporary directory and recording links instead of sockets: stanzas in (<see cref="SendAsync"/>),
/// stanzas out (<see cref="TakeSent"/>). Every send waits for the room host to be idle (its drain
/// signal), so what a stanza causes has been sent when the call returns: no test sleeps.
/// </summary>
internal sealed class RoomHostHarness : IAsyncDisposable
{
    public static readonly Jid Service = Jid.Parse("mix.test");
    public static readonly Jid MucService = Jid.Parse("muc.test");

    private readonly string _dir;
    private readonly bool _ownsDir;
    private readonly ConcurrentQueue<XElement> _sent = new();
    private RecordingLink _mixLink = null!;
    private RecordingLink _mucLink = null!;
    private IArchiveStore _archive = null!;

    // Handler failures are worth seeing in a failing test's output; nothing else is logged.
    private static readonly ILoggerFactory Loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error));

    private RoomHostHarness(string dir, bool ownsDir, RoomHostSetup setup)
    {
        _dir = dir;
        _ownsDir = ownsDir;
        Setup = setup;
    }

    public RoomHostSetup Setup { get; }
    public RoomHostComposition Host { get; private set; } = null!;
    public RoomRegistry Rooms => Host.Rooms;
    public IArchiveStore Archive => _archive;
    public DmucPrimary? Primary => Host.Primary;
    public string Directory => _dir;

    /// <summary>The DMUC2 keepalive's clock, moved by the test.</summary>
    public ManualClock Clock { get; } = new();

    /// <summary>IQs the room host sent and awaits (the DMUC2 primary's pings), oldest first, until the test answers them.</summary>
    public ConcurrentQueue<(XElement Iq, TaskCompletionSource<XElement> Answer)> Requests { get; } = new();

    public static async Task<RoomHostHarness> StartAsync(RoomHostSetup? setup = null, string? directory = null)
    {
        var dir = directory ?? Path.Combine(Path.GetTempPath(), "xgc-roomhost-" + Guid.NewGuid().ToString("N"));
        var h = new RoomHostHarness(dir, directory is null, setup ?? new RoomHostSetup());
        await h.OpenAsync();
        return h;
    }

    private async Task OpenAsync()
    {
        System.IO.Directory.CreateDirectory(_dir);
        _archive = await SqliteArchive.OpenAsync(Path.Combine(_dir, "archive.db"), Loggers.CreateLogger<SqliteArchive>());
        _mixLink = new RecordingLink(Service, _sent, Requests);
        _mucLink = new RecordingLink(MucService, _sent, Requests);
        var options = new RoomHostOptions(
            new MixSettings(["test"], MucService.ToString(), Service.ToString(), Setup.PamRelayMarker),
            Setup.TrustedMirrors, Setup.MirrorServes, Setup.Dmuc ?? DmucSettings.None,
            Invitations.LoadOrCreateKey(Path.Combine(_dir, RoomHostOptions.InvitationKeyFile)),
            Invitations.LoadOrCreateKey(Path.Combine(_dir, RoomHostOptions.OccupantIdKeyFile)));
        Host = await RoomHostComposition.OpenAsync(options, _archive, _mixLink, _mucLink, Clock, Loggers, CancellationToken.None);
    }

    /// <summary>Everything sent so far, oldest first, and forgets it.</summary>
    public List<XElement> TakeSent()
    {
        var list = new List<XElement>();
        while (_sent.TryDequeue(out var e)) list.Add(e);
        return list;
    }

    /// <summary>Dispatches a stanza given as XML (stanza namespace jabber:component:accept implied) and waits until the room host is idle.</summary>
    public Task SendAsync(string xml) => DispatchAsync(LinkView.Parse(xml));

    /// <summary>Dispatches a stanza that is already an element (for example one another component under test sent), and waits until idle.</summary>
    public async Task DispatchAsync(XElement e)
    {
        var inbound = e.GetTo()?.Domain == MucService.Domain ? Host.MucInbound : Host.MixInbound;
        await inbound.DispatchAsync(e, CancellationToken.None);
        await SettleAsync();
    }

    /// <summary>Dispatches without waiting for its effects (to race two stanzas); <see cref="SettleAsync"/> then waits.</summary>
    public ValueTask DispatchOnlyAsync(string xml)
    {
        var e = LinkView.Parse(xml);
        var inbound = e.GetTo()?.Domain == MucService.Domain ? Host.MucInbound : Host.MixInbound;
        return inbound.DispatchAsync(e, CancellationToken.None);
    }

    /// <summary>Sends an IQ and returns the response (result or error) addressed back to its id.</summary>
    public async Task<XElement> IqAsync(string xml)
    {
        var id = XElement.Parse(xml).Attribute("id")!.Value;
        await SendAsync(xml);
        return Take(e => e.Name.LocalName == "iq" && e.GetId() == id);
    }

    /// <summary>The first sent stanza that matches (taken out of the outbox), or a failure listing what was sent.</summary>
    public XElement Take(Func<XElement, bool> match)
    {
        var seen = TakeSent();
        var found = seen.FirstOrDefault(match);
        foreach (var s in seen.Where(s => s != found)) _sent.Enqueue(s);
        return found ?? throw new AssertionException("no matching stanza; sent:\n" + string.Join("\n", seen));
    }

    /// <summary>For tests written before the drain signal: the room host is idle after every send, so this is <see cref="Take"/>.</summary>
    public async Task<XElement> WaitForAsync(Func<XElement, bool> match)
    {
        await SettleAsync();
        return Take(match);
    }

    /// <summary>Waits until the room host has nothing left to do (the drain signal).</summary>
    public Task SettleAsync() => Host.Work.WhenIdle();

    /// <summary>Answers the oldest request the room host is waiting on, and waits until what follows is done.</summary>
    public async Task AnswerAsync(Func<XElement, XElement> answer)
    {
        if (!Requests.TryDequeue(out var r)) throw new AssertionException("the room host sent no request");
        r.Answer.TrySetResult(answer(r.Iq));
        if (Primary != null) await Primary.Keepalive.PingsDone;
        await SettleAsync();
    }

    /// <summary>Stops and reopens on the same files: what a restart (or kill -9, since every write is durable when acknowledged) leaves.</summary>
    public async Task<RoomHostHarness> RestartAsync()
    {
        await StopAsync();
        var again = new RoomHostHarness(_dir, _ownsDir, Setup);
        await again.OpenAsync();
        return again;
    }

    private async Task StopAsync()
    {
        // Requests nobody answered end as timeouts, so no background work is left waiting.
        _mixLink.TimeOutAll();
        _mucLink.TimeOutAll();
        if (Primary != null) await Primary.Keepalive.PingsDone;
        await SettleAsync();
        await Host.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (!_ownsDir) return;
        try { System.IO.Directory.Delete(_dir, true); } catch (IOException) { }
    }
}

/// <summary>What a test configures of the room host (what the program reads from configuration).</summary>
internal sealed record RoomHostSetup
{
    public IReadOnlyList<string> TrustedMirrors { get; init; } = [];
    public IReadOnlyDictionary<string, IReadOnlyList<string>> MirrorServes { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
    public DmucSettings? Dmuc { get; init; }
    public bool PamRelayMarker { get; init; } = true;
}
