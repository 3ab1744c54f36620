using System.Xml.Linq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Component;
using XmppGroupChat.Mirror.Fmuc;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Mirror;

/// <summary>
/// The mirror wired as the program wires it, with a recording sender instead of a link: stanzas
/// in (<see cref="SendAsync"/>, as the server would hand them over), stanzas out (<see cref="TakeSent"/>).
/// Handling is synchronous, so everything a stanza causes has been sent when SendAsync returns.
/// </summary>
internal sealed class MirrorHarness : IStanzaSender
{
    public const string Domain = "mirror.beta.test";
    public const string Room = "room@muc.alpha.test";
    public const string Proxy = @"room\40muc.alpha.test@mirror.beta.test";

    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly ILogger Log = LoggerFactory
        .Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error))
        .CreateLogger("harness");

    private readonly List<XElement> _sent = new();
    private readonly StanzaRouter _router = new(Log);
    private readonly SessionIds _ids = new(Key);

    public MirrorHarness(params (string Key, string Value)[] settings)
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        Mirror = new MirrorService(this, MirrorSettings.Read(config, Domain), _ids, Log);
        MirrorDomain.Wire(_router, Mirror);
    }

    public MirrorService Mirror { get; }

    Jid IStanzaSender.Domain => Jid.Parse(Domain);

    /// <summary>The proxy full JID that stands for <paramref name="user"/> at the master of <paramref name="room"/>.</summary>
    public string ProxyJidOf(string user, string room = Room) => $"{Proxy}/{_ids.For(Jid.Parse(user), Jid.Parse(room))}";

    /// <summary>Dispatches a stanza given as XML (stanza namespace jabber:component:accept implied).</summary>
    public async Task SendAsync(string xml)
    {
        var nameEnd = xml.IndexOfAny([' ', '>']);
        var e = XElement.Parse(xml.Insert(nameEnd, " xmlns='jabber:component:accept'"));
        await _router.DispatchAsync(e, this, CancellationToken.None);
    }

    /// <summary>Dispatches a stanza that is already an element (for example one the master under test sent).</summary>
    public async Task DispatchAsync(XElement e) => await _router.DispatchAsync(e, this, CancellationToken.None);

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
        // The same guard as the real link: a stanza from outside the domain would close the stream.
        if (!ComponentLink.IsInDomain((string?)stanza.Attribute("from") ?? "", Domain))
            throw new ArgumentException("stanza from outside the domain: " + stanza);
        _sent.Add(stanza);
        return ValueTask.CompletedTask;
    }

    ValueTask IStanzaSender.SendSerializedAsync(ReadOnlyMemory<byte> utf8Stanza, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the mirror sends stanzas one recipient at a time");

    Task<XElement> IStanzaSender.RequestAsync(XElement iq, TimeSpan? timeout, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("the mirror relays IQs through the router and waits for none");
}
