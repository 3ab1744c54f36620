using System.Xml.Linq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using XmppGroupChat.Archive;
using XmppGroupChat.Component;
using XmppGroupChat.Mirror.Fmuc;
using XmppGroupChat.Xmpp;
using XmppGroupChat.Tests.Unit.Support;

namespace XmppGroupChat.Tests.Unit.Mirror;

/// <summary>
/// The mirror wired as the program wires it, with a recording sender instead of a link: stanzas
/// in (<see cref="SendAsync"/>, as the server would hand them over), stanzas out (<see cref="TakeSent"/>).
/// Handling is synchronous, so everything a stanza causes has been sent when SendAsync returns.
/// The master's service answers the mirror's disco#info at once, unseen, as an FMUC service
/// (<see cref="MasterSpeaksFmuc"/>; null leaves the question to the test). Time stands still
/// until <see cref="Time"/> is moved on.
/// </summary>
internal sealed class MirrorHarness : IStanzaSender, IAsyncDisposable
{
    public const string Domain = "mirror.beta.test";
    public const string Room = "room@muc.alpha.test";
    public const string Proxy = @"room\40muc.alpha.test@mirror.beta.test";

    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly ILogger Log = LoggerFactory
        .Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error))
        .CreateLogger("harness");

    private readonly List<XElement> _sent = new();
    private StanzaRouter _router = new(Log);
    private readonly SessionIds _ids = new(Key);
    private readonly (string Key, string Value)[] _settings;
    private string? _dir;
    private SqliteArchive? _archive;

    /// <remarks>The periodic room check is off unless a test sets Mirror:RoomCheckSeconds: moving the clock on must not send pings.</remarks>
    public MirrorHarness(params (string Key, string Value)[] settings)
    {
        _settings = settings.Any(s => s.Key == "Mirror:RoomCheckSeconds") ? settings : [("Mirror:RoomCheckSeconds", "0"), .. settings];
        Mirror = new MirrorService(this, ReadSettings(), _ids, Log, Time);
        Reassertion = MirrorDomain.Wire(_router, Mirror);
    }

    private MirrorSettings ReadSettings() => MirrorSettings.Read(new ConfigurationBuilder()
        .AddInMemoryCollection(_settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
        .Build(), Domain);

    /// <summary>A mirror that keeps its rooms in a real archive in a temporary directory, as the program does.</summary>
    public static async Task<MirrorHarness> WithStorageAsync(bool masterSpeaksFmuc = true, params (string Key, string Value)[] settings)
    {
        var dir = Path.Combine(Path.GetTempPath(), "xgc-mirror-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var h = new MirrorHarness(settings) { _dir = dir, MasterSpeaksFmuc = masterSpeaksFmuc };
        await h.OpenStorageAsync();
        return h;
    }

    /// <summary>
    /// Stops and starts again on the same files (every acknowledged write is durable, so this is
    /// also what kill -9 leaves), restores, and lets the restored sessions re-assert themselves
    /// upstream, as the program does once its link is up. Nothing sent before carries over.
    /// </summary>
    public async Task<MirrorHarness> RestartAsync()
    {
        if (_archive != null) await _archive.DisposeAsync();
        _archive = null;
        var h = new MirrorHarness(_settings) { _dir = _dir, MasterSpeaksFmuc = MasterSpeaksFmuc };
        _dir = null;
        await h.OpenStorageAsync();
        await h.Reassertion.ReassertAsync(CancellationToken.None);
        return h;
    }

    private async Task OpenStorageAsync()
    {
        _archive = await SqliteArchive.OpenAsync(Path.Combine(_dir!, MirrorHost.ArchiveFile), NullLogger<SqliteArchive>.Instance);
        var store = new MirrorStore(_archive);
        Mirror = new MirrorService(this, ReadSettings(), _ids, Log, Time, store);
        _router = new StanzaRouter(Log);
        Reassertion = MirrorDomain.Wire(_router, Mirror);
        Reassertion.Remember(Mirror.Restore(await store.LoadAsync(CancellationToken.None)));
    }

    public async ValueTask DisposeAsync()
    {
        if (_archive != null) await _archive.DisposeAsync();
        if (_dir != null) Directory.Delete(_dir, recursive: true);
    }

    public MirrorService Mirror { get; private set; }
    public Reassertion Reassertion { get; private set; }
    public ManualTime Time { get; } = new();

    /// <summary>How the master's service answers the mirror's disco#info: with the FMUC feature (true), without (false), not at all (null).</summary>
    public bool? MasterSpeaksFmuc { get; init; } = true;

    Jid IStanzaSender.Domain => Jid.Parse(Domain);

    /// <summary>The proxy full JID that stands for <paramref name="user"/> at the master of <paramref name="room"/>.</summary>
    public string ProxyJidOf(string user, string room = Room) => $"{Proxy}/{_ids.For(Jid.Parse(user), Jid.Parse(room))}";

    /// <summary>Dispatches a stanza given as XML (stanza namespace jabber:component:accept implied).</summary>
    public async Task SendAsync(string xml)
    {
        var nameEnd = xml.IndexOfAny([' ', '>']);
        var e = XElement.Parse(xml.Insert(nameEnd, " xmlns='jabber:component:accept'"));
        await DispatchAsync(e);
    }

    /// <summary>Dispatches a stanza that is already an element (for example one the master under test sent).</summary>
    public async Task DispatchAsync(XElement e)
    {
        await _router.DispatchAsync(e, this, CancellationToken.None);
        while (MasterSpeaksFmuc is { } fmuc && _sent.FirstOrDefault(IsDiscoInfoRequest) is { } ask)
        {
            _sent.Remove(ask);
            await _router.DispatchAsync(DiscoAnswer(ask, fmuc), this, CancellationToken.None);
        }
    }

    /// <summary>The mirror asking a service what it speaks.</summary>
    public static bool IsDiscoInfoRequest(XElement e) =>
        e.Name.LocalName == "iq" && (string?)e.Attribute("type") == "get" && (string?)e.Attribute("from") == Domain && e.Element(Ns.DiscoInfo + "query") != null;

    /// <summary>A MUC service's answer to <paramref name="ask"/>, with the FMUC feature or without.</summary>
    public static XElement DiscoAnswer(XElement ask, bool fmuc) => XElement.Parse(
        $"<iq xmlns='jabber:component:accept' type='result' id='{ask.GetId()}' from='{ask.Attribute("to")!.Value}' to='{Domain}'>" +
        "<query xmlns='http://jabber.org/protocol/disco#info'><identity category='conference' type='text'/>" +
        "<feature var='http://jabber.org/protocol/muc'/>" + (fmuc ? "<feature var='http://isode.com/protocol/fmuc'/>" : "") + "</query></iq>");

    /// <summary>Everything sent so far, oldest first, and forgets it.</summary>
    public List<XElement> TakeSent()
    {
        var list = _sent.ToList();
        _sent.Clear();
        return list;
    }

    /// <summary>What was sent to <paramref name="to"/> so far (without forgetting it).</summary>
    public List<XElement> SentTo(string to) => _sent.Where(e => (string?)e.Attribute("to") == to).ToList();

    // ---- the usual flows, for tests that are about something else ----

    /// <summary>A local user joins and the master confirms with self-presence (to the session's proxy JID).</summary>
    public async Task JoinAsync(string user, string nick, string role = "participant", string codes = "", string history = "")
    {
        await SendAsync($"<presence from='{user}' to='{Proxy}/{nick}'><x xmlns='http://jabber.org/protocol/muc'>{history}</x></presence>");
        await SendAsync($"<presence from='{Room}/{nick}' to='{ProxyJidOf(user)}'><x xmlns='http://jabber.org/protocol/muc#user'>" +
                        $"<item affiliation='none' role='{role}'/><status code='110'/>{codes}</x></presence>");
    }

    ValueTask IStanzaSender.SendAsync(XElement stanza, CancellationToken cancellationToken)
    {
        LinkView.RequireInDomain(stanza, Domain);
        _sent.Add(stanza);
        return ValueTask.CompletedTask;
    }

    ValueTask IStanzaSender.SendSerializedAsync(ReadOnlyMemory<byte> utf8Stanza, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the mirror sends stanzas one recipient at a time");

    Task<XElement> IStanzaSender.RequestAsync(XElement iq, TimeSpan? timeout, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the mirror relays IQs through the router and waits for none");
}
