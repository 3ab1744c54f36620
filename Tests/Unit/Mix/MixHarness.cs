using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;
using System.Xml.Linq;
using Microsoft.Extensions.Logging.Abstractions;
using XmppGroupChat.Archive;
using XmppGroupChat.Component;
using XmppGroupChat.Mix.Delivery;
using XmppGroupChat.Mix.Mix;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;
using XmppGroupChat.Tests.Unit.Support;

namespace XmppGroupChat.Tests.Unit.Mix;

/// <summary>
/// The MIX service with a real archive in a temporary file and a recording sender instead of a
/// link: stanzas in (<see cref="SendAsync"/>), stanzas out (<see cref="Sent"/>).
/// </summary>
internal sealed class MixHarness : IStanzaSender, IAsyncDisposable
{
    public static readonly Jid Service = Jid.Parse("mix.test");
    public static readonly Jid MucService = Jid.Parse("muc.test");
    private StanzaRouter _mucRouter = null!;
    private FaceSender _mucSender = null!;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "xgc-mix-" + Guid.NewGuid().ToString("N"));
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<XElement> _sent = new();
    private SqliteArchive _archive = null!;
    private StanzaRouter _router = null!;
    private Task _delivery = Task.CompletedTask;

    public Jid Domain => Service;

    // Handler failures are worth seeing in a failing test's output; nothing else is logged.
    private static readonly Microsoft.Extensions.Logging.ILogger Log = Microsoft.Extensions.Logging.LoggerFactory
        .Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Error))
        .CreateLogger("harness");
    public RoomRegistry Rooms { get; private set; } = null!;
    public SqliteArchive Archive => _archive;

    /// <summary>The MUC face's service, to configure what the program reads from configuration (trusted relays).</summary>
    public XmppGroupChat.Mix.Muc.MucService Muc { get; private set; } = null!;

    public static async Task<MixHarness> StartAsync(string? directory = null, XmppGroupChat.Mix.Dmuc.DmucSettings? dmuc = null)
    {
        var h = new MixHarness { _dmuc = dmuc };
        await h.OpenAsync(directory ?? h._dir);
        return h;
    }

    private XmppGroupChat.Mix.Dmuc.DmucSettings? _dmuc;

    /// <summary>The DMUC2 keepalive's clock, moved by the test.</summary>
    public XmppGroupChat.Tests.Unit.Dmuc.ManualClock Clock { get; } = new();

    /// <summary>IQs the MUC face sent and awaits (the DMUC2 primary's pings), oldest first, until the test answers them.</summary>
    public ConcurrentQueue<(XElement Iq, TaskCompletionSource<XElement> Answer)> Requests { get; } = new();
    private readonly ConcurrentBag<TaskCompletionSource<XElement>> _allRequests = [];

    public string Directory => _dir;

    private async Task OpenAsync(string dir)
    {
        System.IO.Directory.CreateDirectory(dir);
        _archive = await SqliteArchive.OpenAsync(Path.Combine(dir, "archive.db"), NullLogger<SqliteArchive>.Instance);
        Rooms = new RoomRegistry(_archive, NullLogger<RoomRegistry>.Instance);
        await Rooms.LoadAsync(CancellationToken.None);
        var broadcaster = new Broadcaster(NullLogger<Broadcaster>.Instance);
        _delivery = broadcaster.RunAsync(_stop.Token);
        _router = new StanzaRouter(Log);
        var mix = new MixService(Rooms, _archive, broadcaster, this, new MixSettings(["test"], "muc.test", "mix.test"),
            Invitations.LoadOrCreate(Path.Combine(dir, "invitation.key")), NullLogger.Instance);
        MixDomain.Wire(_router, mix);

        // The MUC face of the same rooms, on its own "link".
        _mucSender = new FaceSender(MucService, _sent, this);
        _mucRouter = new StanzaRouter(Log);
        var muc = new XmppGroupChat.Mix.Muc.MucService(Rooms, _archive, broadcaster, _mucSender, () => mix,
            new MixSettings(["test"], "muc.test", "mix.test"), Invitations.LoadOrCreateKey(Path.Combine(dir, "occupant-id.key")), NullLogger.Instance);
        Muc = muc;
        var mucMessages = XmppGroupChat.Mix.Muc.MucDomain.Wire(_mucRouter, muc, _dmuc, Clock);
        mix.OtherFaces = (room, archived) => mucMessages.Deliveries(room, archived);
    }

    /// <summary>Everything sent so far, oldest first, and forgets it.</summary>
    public List<XElement> TakeSent()
    {
        var list = new List<XElement>();
        while (_sent.TryDequeue(out var e)) list.Add(e);
        return list;
    }

    /// <summary>Dispatches a stanza given as XML (stanza namespace jabber:component:accept implied).</summary>
    public async Task SendAsync(string xml)
    {
        // Only the root is put in the stream namespace; nested stanzas keep what the XML says.
        var nameEnd = xml.IndexOf(' ');
        var e = XElement.Parse(xml.Insert(nameEnd, " xmlns='jabber:component:accept'"));
        if (e.GetTo()?.Domain == MucService.Domain) await _mucRouter.DispatchAsync(e, _mucSender, CancellationToken.None);
        else await _router.DispatchAsync(e, this, CancellationToken.None);
    }

    /// <summary>Dispatches a stanza that is already an element (for example one another component under test sent).</summary>
    public async Task DispatchAsync(XElement e)
    {
        if (e.GetTo()?.Domain == MucService.Domain) await _mucRouter.DispatchAsync(e, _mucSender, CancellationToken.None);
        else await _router.DispatchAsync(e, this, CancellationToken.None);
    }

    /// <summary>Sends an IQ and returns the response (result or error) addressed back to its id.</summary>
    public async Task<XElement> IqAsync(string xml)
    {
        var id = XElement.Parse(xml).Attribute("id")!.Value;
        await SendAsync(xml);
        return await WaitForAsync(e => e.Name.LocalName == "iq" && e.GetId() == id);
    }

    /// <summary>Waits until a matching stanza has been sent (delivery runs on its own loop) and returns it.</summary>
    public async Task<XElement> WaitForAsync(Func<XElement, bool> match, int timeoutMs = 5000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        var seen = new List<XElement>();
        while (DateTime.UtcNow < deadline)
        {
            while (_sent.TryDequeue(out var e))
            {
                if (match(e))
                {
                    foreach (var s in seen) _sent.Enqueue(s);
                    return e;
                }
                seen.Add(e);
            }
            await Task.Delay(5);
        }
        foreach (var s in seen) _sent.Enqueue(s);
        throw new TimeoutException("no matching stanza; sent: " + string.Join("\n", seen));
    }

    /// <summary>Lets queued deliveries finish.</summary>
    public Task SettleAsync() => Task.Delay(150);

    ValueTask IStanzaSender.SendAsync(XElement stanza, CancellationToken cancellationToken)
    {
        LinkView.RequireInDomain(stanza, Service.Domain);
        _sent.Enqueue(stanza);
        return ValueTask.CompletedTask;
    }

    ValueTask IStanzaSender.SendSerializedAsync(ReadOnlyMemory<byte> utf8Stanza, CancellationToken cancellationToken)
    {
        // What the link would write, read back as the server would see it.
        var e = LinkView.Parse(utf8Stanza);
        LinkView.RequireInDomain(e, Service.Domain);
        _sent.Enqueue(e);
        return ValueTask.CompletedTask;
    }

    Task<XElement> IStanzaSender.RequestAsync(XElement iq, TimeSpan? timeout, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the MIX service sends no requests of its own");

    /// <summary>Stops and reopens on the same files: what a restart (or kill -9, since every write is durable when acknowledged) leaves.</summary>
    public async Task<MixHarness> RestartAsync()
    {
        await DisposeCoreAsync(deleteFiles: false);
        var again = new MixHarness { _dmuc = _dmuc };
        await again.OpenAsync(_dir);
        again.TakeOver(_dir);
        return again;
    }

    private string? _ownedDir;
    private void TakeOver(string dir) => _ownedDir = dir;

    private async Task DisposeCoreAsync(bool deleteFiles)
    {
        // Requests nobody answered end as timeouts, so no background work is left waiting.
        // (Answering may start more background work that sends more requests: until all is done.)
        while (Muc.Dmuc is { } dmuc)
        {
            foreach (var r in _allRequests) r.TrySetException(new TimeoutException("harness stopped"));
            var done = dmuc.BackgroundDone;
            if (await Task.WhenAny(done, Task.Delay(20)) == done) break;
        }
        _stop.Cancel();
        await _delivery;
        await _archive.DisposeAsync();
        if (deleteFiles)
        {
            try { System.IO.Directory.Delete(_ownedDir ?? _dir, true); } catch (IOException) { }
        }
    }

    public ValueTask DisposeAsync() => new(DisposeCoreAsync(deleteFiles: true));

    /// <summary>A recording sender for another face's domain, sharing the harness's outbox.</summary>
    private sealed class FaceSender(Jid domain, ConcurrentQueue<XElement> sent, MixHarness harness) : IStanzaSender
    {
        public Jid Domain => domain;

        public ValueTask SendAsync(XElement stanza, CancellationToken cancellationToken = default)
        {
            LinkView.RequireInDomain(stanza, domain.Domain);
            sent.Enqueue(stanza);
            return ValueTask.CompletedTask;
        }

        public ValueTask SendSerializedAsync(ReadOnlyMemory<byte> utf8Stanza, CancellationToken cancellationToken = default)
        {
            var e = LinkView.Parse(utf8Stanza);
            LinkView.RequireInDomain(e, domain.Domain);
            sent.Enqueue(e);
            return ValueTask.CompletedTask;
        }

        public Task<XElement> RequestAsync(XElement iq, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        {
            LinkView.RequireInDomain(iq, domain.Domain);
            if (iq.GetId() is null) iq.SetAttributeValue("id", Stanza.NewId());
            var answer = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
            harness._allRequests.Add(answer);
            harness.Requests.Enqueue((new XElement(iq), answer));
            return answer.Task;
        }
    }
}
