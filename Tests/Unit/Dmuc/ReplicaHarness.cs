using System.Collections.Concurrent;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using XmppGroupChat.Archive;
using XmppGroupChat.Component;
using XmppGroupChat.DmucReplica.Dmuc;
using XmppGroupChat.Xmpp;
using XmppGroupChat.Tests.Unit.Support;

namespace XmppGroupChat.Tests.Unit.Dmuc;

/// <summary>
/// The replica with a real archive in a temporary directory, a clock the test moves, and a
/// recording sender instead of a link: stanzas in (<see cref="SendAsync"/>), stanzas out
/// (<see cref="WaitForAsync"/>), and the replica's own requests to the primary held until the test
/// answers them (<see cref="NextRequestAsync"/>, <see cref="Answer"/>, <see cref="Fail"/>, <see cref="TimeOut"/>).
/// </summary>
internal sealed class ReplicaHarness : IStanzaSender, IAsyncDisposable
{
    public static readonly Jid Service = Jid.Parse("dmuc-replica.beta.test");
    public const string Primary = "room@muc.alpha.test";
    public const string R = @"room\40muc.alpha.test@dmuc-replica.beta.test";

    private static readonly ILogger Log = LoggerFactory
        .Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error))
        .CreateLogger("harness");

    private readonly ConcurrentQueue<XElement> _sent = new();
    private readonly ConcurrentQueue<Request> _requests = new();
    private readonly ConcurrentBag<Request> _allRequests = [];
    private readonly string _dir;
    private SqliteArchive _archive = null!;
    private StanzaRouter _router = null!;
    private bool _stopped;

    public sealed record Request(XElement Iq, TaskCompletionSource<XElement> Answer);

    private ReplicaHarness(string dir, ReplicaSettings settings, ManualClock clock)
    {
        _dir = dir;
        Settings = settings;
        Clock = clock;
    }

    public ReplicaSettings Settings { get; }
    public ManualClock Clock { get; }
    public ReplicaService Replica { get; private set; } = null!;
    public Keepalive Keepalive { get; private set; } = null!;
    public SqliteArchive Archive => _archive;
    public Jid Domain => Service;

    public static ReplicaSettings DefaultSettings(bool localChat = false, int history = 50) =>
        new(TimeSpan.FromSeconds(30), localChat, history, "beta.test");

    public static async Task<ReplicaHarness> StartAsync(ReplicaSettings? settings = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "xgc-dmuc-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var h = new ReplicaHarness(dir, settings ?? DefaultSettings(), new ManualClock());
        await h.OpenAsync();
        return h;
    }

    private async Task OpenAsync()
    {
        _archive = await SqliteArchive.OpenAsync(Path.Combine(_dir, "archive.db"), NullLogger<SqliteArchive>.Instance);
        var addresses = new ReplicaAddress(Service, ReplicaAddress.LoadOrCreateKey(Path.Combine(_dir, "session-id.key")));
        var store = new ReplicaStore(_archive, _archive);
        var rooms = new ReplicaRooms();
        foreach (var room in await store.LoadAsync(addresses, CancellationToken.None)) rooms.Add(room);
        Replica = new ReplicaService(rooms, store, this, addresses, Settings, Clock, Log);
        _router = new StanzaRouter(Log);
        Keepalive = ReplicaDomain.Wire(_router, Replica);
    }

    /// <summary>Stops and starts again on the same files (every acknowledged write is durable, so this is also what kill -9 leaves).</summary>
    public async Task<ReplicaHarness> RestartAsync()
    {
        await StopBackgroundAsync("process stopped");
        await _archive.DisposeAsync();
        var again = new ReplicaHarness(_dir, Settings, Clock);
        await again.OpenAsync();
        _stopped = true;
        return again;
    }

    /// <summary>The sid the replica uses toward the primary for this local session.</summary>
    public string Sid(string user) => Replica.Addresses.SessionId(Jid.Parse(user), Jid.Parse(Primary));

    /// <summary>Dispatches a stanza given as XML (stanza namespace jabber:component:accept implied).</summary>
    public async Task SendAsync(string xml)
    {
        var nameEnd = xml.IndexOfAny([' ', '>', '/']);
        var e = XElement.Parse(xml.Insert(nameEnd, " xmlns='jabber:component:accept'"));
        await _router.DispatchAsync(e, this, CancellationToken.None);
    }

    public Task TickAsync() => Keepalive.TickAsync(CancellationToken.None);

    /// <summary>Everything sent so far, oldest first, and forgets it.</summary>
    public List<XElement> TakeSent()
    {
        var list = new List<XElement>();
        while (_sent.TryDequeue(out var e)) list.Add(e);
        return list;
    }

    /// <summary>Waits until the background work started so far is done, then takes what was sent.</summary>
    public async Task<List<XElement>> SettleAsync()
    {
        await Replica.BackgroundDone;
        return TakeSent();
    }

    /// <summary>Waits until a matching stanza has been sent (answers to requests run in the background) and returns it.</summary>
    public async Task<XElement> WaitForAsync(Func<XElement, bool> match, int timeoutMs = 5000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        var seen = new List<XElement>();
        try
        {
            while (DateTime.UtcNow < deadline)
            {
                while (_sent.TryDequeue(out var e))
                {
                    if (match(e)) return e;
                    seen.Add(e);
                }
                await Task.Delay(5);
            }
            throw new TimeoutException("no matching stanza; sent: " + string.Join("\n", seen));
        }
        finally
        {
            // What did not match stays, in order, ahead of anything sent meanwhile.
            var rest = TakeSent();
            foreach (var s in seen.Concat(rest)) _sent.Enqueue(s);
        }
    }

    /// <summary>Waits for the replica's next request to the primary (an IQ it awaits).</summary>
    public async Task<Request> NextRequestAsync(int timeoutMs = 5000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < deadline)
        {
            if (_requests.TryDequeue(out var r)) return r;
            await Task.Delay(5);
        }
        throw new TimeoutException("the replica sent no request");
    }

    public bool HasRequest => !_requests.IsEmpty;

    /// <summary>The primary answers a request with a result carrying <paramref name="payload"/>.</summary>
    public static void Answer(Request request, string? payload = null)
    {
        var result = request.Iq.ResultReply(payload is null ? null : XElement.Parse(payload));
        request.Answer.SetResult(result);
    }

    /// <summary>The request comes back as an error (from the primary, or bounced by a server).</summary>
    public static void Fail(Request request, StanzaErrorCondition condition, string? text = null) =>
        request.Answer.SetException(new StanzaErrorException(StanzaError.Of(condition, text)));

    /// <summary>No answer within the timeout.</summary>
    public static void TimeOut(Request request) => request.Answer.SetException(new TimeoutException("no answer"));

    ValueTask IStanzaSender.SendAsync(XElement stanza, CancellationToken cancellationToken)
    {
        LinkView.RequireInDomain(stanza, Service.Domain);
        // What the link would write, read back as the server would see it (no shared instances).
        var xml = StanzaSerializer.ToXmlString(stanza);
        _sent.Enqueue(LinkView.Parse(xml));
        return ValueTask.CompletedTask;
    }

    ValueTask IStanzaSender.SendSerializedAsync(ReadOnlyMemory<byte> utf8Stanza, CancellationToken cancellationToken)
    {
        var e = LinkView.Parse(utf8Stanza);
        LinkView.RequireInDomain(e, Service.Domain);
        _sent.Enqueue(e);
        return ValueTask.CompletedTask;
    }

    Task<XElement> IStanzaSender.RequestAsync(XElement iq, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        LinkView.RequireInDomain(iq, Service.Domain);
        if (iq.GetId() is null) iq.SetAttributeValue("id", Stanza.NewId());
        var answer = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var request = new Request(new XElement(iq), answer);
        _requests.Enqueue(request);
        _allRequests.Add(request);
        return answer.Task;
    }

    // Answering may start more background work that sends more requests: until all is done.
    private async Task StopBackgroundAsync(string why)
    {
        while (true)
        {
            foreach (var r in _allRequests) r.Answer.TrySetException(new TimeoutException(why));
            var done = Replica.BackgroundDone;
            if (await Task.WhenAny(done, Task.Delay(20)) == done) return;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopped) return; // restarted: the new instance owns the files
        // Requests nobody answered end as timeouts, so no background work is left waiting.
        await StopBackgroundAsync("harness stopped");
        await _archive.DisposeAsync();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}

/// <summary>A clock that moves only when the test says so.</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    public override DateTimeOffset GetUtcNow() => _now;
    public void Advance(TimeSpan by) => _now += by;
}
