using System.Xml.Linq;
using Microsoft.Extensions.Logging.Abstractions;
using XmppGroupChat.Component;
using XmppGroupChat.Component.Routing;
using XmppGroupChat.Component.Services;
using XmppGroupChat.Concurrency;
using XmppGroupChat.Component.Services;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Component;

/// <summary>The XEP-0114 link against a scripted server socket: handshake, bad input, errors, drops, shutdown.</summary>
[TestFixture]
public sealed class ComponentLinkTests
{
    private const string Domain = "mix.test";
    private FakeComponentServer _server = null!;
    private CancellationTokenSource _stop = null!;
    private ComponentLink _link = null!;
    private Task _run = Task.CompletedTask;

    [SetUp]
    public void SetUp()
    {
        _server = new FakeComponentServer();
        _stop = new CancellationTokenSource();
    }

    [TearDown]
    public async Task TearDown()
    {
        _stop.Cancel();
        try { await _run.WaitAsync(TimeSpan.FromSeconds(10)); }
        catch (ComponentConfigurationException) { }
        await _server.DisposeAsync();
        _stop.Dispose();
    }

    private ComponentLink Start(Func<ComponentOptions, ComponentOptions>? tweak = null, string secret = FakeComponentServer.Secret)
    {
        var options = new ComponentOptions
        {
            Host = "127.0.0.1",
            Port = _server.Port,
            Domain = Domain,
            Secret = secret,
            ReconnectBaseDelay = TimeSpan.FromMilliseconds(20),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
            ShutdownTimeout = TimeSpan.FromMilliseconds(500),
        };
        options = tweak?.Invoke(options) ?? options;
        var sender = new LinkSender(options);
        var routes = new RouteTable().AddPing("test", jid => jid.Equals(sender.Domain)).Build();
        var dispatcher = new StanzaDispatcher(routes, sender, new SingleScope(new SerialExecutor("test", NullLogger.Instance)), NullLogger.Instance);
        _link = new ComponentLink(options, sender, dispatcher, NullLogger.Instance);
        _run = _link.RunAsync(_stop.Token);
        return _link;
    }

    private async Task<FakeConnection> ConnectedAsync()
    {
        var c = await _server.NextConnectionAsync();
        await _link.WhenConnected.WaitAsync(TimeSpan.FromSeconds(10));
        return c;
    }

    private static string Ping(string id) => $"<iq type='get' id='{id}' from='user@test/r' to='{Domain}'><ping xmlns='urn:xmpp:ping'/></iq>";

    [Test]
    public async Task Connects_with_the_sha1_handshake_and_answers_a_ping()
    {
        Start();
        var c = await ConnectedAsync();
        await c.SendAsync(Ping("p1"));
        await c.WaitForTextAsync("id=\"p1\"");
        Assert.That(c.Text, Does.Contain("type=\"result\"").And.Contain("to=\"user@test/r\"").And.Contain($"from=\"{Domain}\""));
    }

    [Test]
    public async Task An_unknown_iq_gets_service_unavailable_and_a_result_or_error_gets_no_answer()
    {
        Start();
        var c = await ConnectedAsync();
        await c.SendAsync($"<iq type='result' id='r1' from='user@test/r' to='{Domain}'/>");
        await c.SendAsync($"<iq type='error' id='e1' from='user@test/r' to='{Domain}'><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
        await c.SendAsync($"<iq type='get' id='u1' from='user@test/r' to='{Domain}'><query xmlns='urn:example:unknown'/></iq>");
        await c.WaitForTextAsync("service-unavailable");
        Assert.That(c.Text, Does.Contain("id=\"u1\""));
        Assert.That(c.Text, Does.Not.Contain("id=\"r1\"").And.Not.Contain("id=\"e1\""));
    }

    [Test]
    public async Task Malformed_xml_closes_the_stream_with_not_well_formed_and_the_link_reconnects()
    {
        Start();
        var c = await ConnectedAsync();
        await c.SendAsync("<message from='user@test/r' to='mix.test'><body>broken</message>");
        await c.WaitForTextAsync("<not-well-formed");
        await c.Closed.WaitAsync(TimeSpan.FromSeconds(5));
        var again = await _server.NextConnectionAsync();
        await again.SendAsync(Ping("after"));
        await again.WaitForTextAsync("id=\"after\"");
    }

    [Test]
    public async Task A_dtd_is_refused_with_restricted_xml_and_never_processed()
    {
        _server.HeaderOverride = "<?xml version='1.0'?><!DOCTYPE lol [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;'>]>" +
                                 "<stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:component:accept' id='x'>";
        Start();
        var c = await _server.NextConnectionAsync();
        await c.WaitForTextAsync("<restricted-xml");
        await c.Closed.WaitAsync(TimeSpan.FromSeconds(5));
        _server.HeaderOverride = null;
        await ConnectedAsync(); // it keeps trying, and gets through once the server behaves
    }

    [Test]
    public async Task An_entity_reference_is_not_expanded_but_refused()
    {
        Start();
        var c = await ConnectedAsync();
        await c.SendAsync("<message from='user@test/r' to='mix.test' type='chat'><body>&xxe;</body></message>");
        await c.WaitForTextAsync("<not-well-formed");
        await c.Closed.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Test]
    public async Task A_comment_is_refused_with_restricted_xml()
    {
        Start();
        var c = await ConnectedAsync();
        await c.SendAsync("<!-- hello -->");
        await c.WaitForTextAsync("<restricted-xml");
    }

    [Test]
    public async Task An_iq_request_without_an_id_gets_bad_request_not_internal_server_error()
    {
        Start();
        var c = await ConnectedAsync();
        await c.SendAsync($"<iq type='get' from='user@test/r' to='{Domain}'><ping xmlns='urn:xmpp:ping'/></iq>");
        await c.SendAsync(Ping("after"));
        await c.WaitForTextAsync("id=\"after\"");
        XmlAssert.AreEqual(
            $"<iq xmlns='jabber:component:accept' type='error' from='{Domain}' to='user@test/r'><ping xmlns='urn:xmpp:ping'/>" +
            "<error type='modify'><bad-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>" +
            "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' xml:lang='en'>an IQ get or set must carry an id</text></error></iq>",
            c.Stanzas()[0]);
    }

    [Test]
    public async Task A_conflict_at_handshake_is_retried_until_it_succeeds()
    {
        _server.HandshakeError = "conflict";
        Start();
        await _server.WaitForConnectionsAsync(2);
        _server.HandshakeError = null;
        var c = await ConnectedAsync();
        Assert.That(_server.Connections, Is.GreaterThanOrEqualTo(2));
        await c.SendAsync(Ping("ok"));
        await c.WaitForTextAsync("id=\"ok\"");
    }

    [TestCase("not-authorized")]
    [TestCase("host-unknown")]
    public async Task A_configuration_error_at_handshake_ends_the_link_without_retrying(string condition)
    {
        _server.HandshakeError = condition;
        Start();
        var ex = Assert.ThrowsAsync<ComponentConfigurationException>(async () => await _run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.That(ex!.Message, Does.Contain(condition));
        await Task.Delay(300);
        Assert.That(_server.Connections, Is.EqualTo(1), "no retry loop on a configuration error");
    }

    [Test]
    public void A_wrong_secret_is_a_configuration_error_that_names_the_secret_but_never_shows_it()
    {
        Start(secret: "wrong-secret");
        var ex = Assert.ThrowsAsync<ComponentConfigurationException>(async () => await _run.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.That(ex!.Message, Does.Contain("secret").And.Not.Contain("wrong-secret"));
    }

    [Test]
    public async Task A_stream_error_after_connecting_makes_the_link_reconnect()
    {
        Start();
        var c = await ConnectedAsync();
        await c.SendAsync("<stream:error><system-shutdown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>");
        c.Close();
        var again = await _server.NextConnectionAsync();
        await again.SendAsync(Ping("back"));
        await again.WaitForTextAsync("id=\"back\"");
    }

    [Test]
    public async Task A_dropped_connection_reconnects_and_delivers_what_was_queued_meanwhile()
    {
        Start();
        var c = await ConnectedAsync();
        c.Close();
        for (var i = 0; i < 50 && _link.IsConnected; i++) await Task.Delay(20);
        for (var i = 0; i < 5; i++)
            await _link.SendAsync(Stanza.Message(_link.Domain, Jid.Parse("user@test/r"), "chat", $"queued {i}"));
        var again = await _server.NextConnectionAsync();
        await again.WaitForTextAsync("queued 4");
        var text = again.Text;
        var positions = Enumerable.Range(0, 5).Select(i => text.IndexOf($"queued {i}", StringComparison.Ordinal)).ToList();
        Assert.That(positions, Is.Ordered.And.All.GreaterThanOrEqualTo(0), "every queued stanza, in order");
    }

    [Test]
    public async Task Producers_wait_when_the_queue_is_full_and_nothing_is_dropped()
    {
        _server.HandshakeError = "conflict"; // keeps the link from connecting for now
        Start(o => o with { SendQueueCapacity = 2 });
        var to = Jid.Parse("user@test/r");
        await _link.SendAsync(Stanza.Message(_link.Domain, to, "chat", "one"));
        await _link.SendAsync(Stanza.Message(_link.Domain, to, "chat", "two"));
        var third = _link.SendAsync(Stanza.Message(_link.Domain, to, "chat", "three")).AsTask();
        await Task.Delay(200);
        Assert.That(third.IsCompleted, Is.False, "the third producer waits for room in the queue");

        _server.HandshakeError = null;
        var c = await ConnectedAsync();
        await third.WaitAsync(TimeSpan.FromSeconds(10));
        await c.WaitForTextAsync("three");
        Assert.That(c.Text, Does.Contain("one").And.Contain("two"));
    }

    [Test]
    public async Task An_iq_request_is_matched_to_its_result()
    {
        Start();
        var c = await ConnectedAsync();
        var request = _link.RequestAsync(Stanza.Iq("get", _link.Domain, Jid.Parse("user@test/r"), new XElement(Ns.Ping + "ping"), "q1"));
        await c.WaitForTextAsync("id=\"q1\"");
        await c.SendAsync($"<iq type='result' id='q1' from='user@test/r' to='{Domain}'/>");
        var result = await request.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That(result.GetStanzaType(), Is.EqualTo("result"));
    }

    [Test]
    public async Task An_iq_error_response_throws_with_its_condition()
    {
        Start();
        var c = await ConnectedAsync();
        var request = _link.RequestAsync(Stanza.Iq("get", _link.Domain, Jid.Parse("user@test/r"), new XElement(Ns.Ping + "ping"), "q2"));
        await c.WaitForTextAsync("id=\"q2\"");
        await c.SendAsync($"<iq type='error' id='q2' from='user@test/r' to='{Domain}'><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
        var ex = Assert.ThrowsAsync<StanzaErrorException>(async () => await request.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.That(ex!.Error.Condition, Is.EqualTo(StanzaErrorCondition.ItemNotFound));
    }

    [Test]
    public async Task A_response_from_someone_else_does_not_complete_the_request()
    {
        Start();
        var c = await ConnectedAsync();
        var request = _link.RequestAsync(Stanza.Iq("get", _link.Domain, Jid.Parse("user@test/r"), new XElement(Ns.Ping + "ping"), "q3"),
            TimeSpan.FromMilliseconds(500));
        await c.WaitForTextAsync("id=\"q3\"");
        await c.SendAsync($"<iq type='result' id='q3' from='mallory@test/r' to='{Domain}'/>");
        Assert.ThrowsAsync<TimeoutException>(async () => await request);
    }

    [Test]
    public async Task An_unanswered_iq_times_out()
    {
        Start();
        await ConnectedAsync();
        var request = _link.RequestAsync(Stanza.Iq("get", _link.Domain, Jid.Parse("user@test/r"), new XElement(Ns.Ping + "ping")),
            TimeSpan.FromMilliseconds(200));
        Assert.ThrowsAsync<TimeoutException>(async () => await request);
    }

    [Test]
    public async Task Shutdown_flushes_the_queue_then_closes_the_stream()
    {
        Start();
        var c = await ConnectedAsync();
        for (var i = 0; i < 100; i++)
            await _link.SendAsync(Stanza.Message(_link.Domain, Jid.Parse("user@test/r"), "chat", $"last words {i}"));
        _stop.Cancel();
        await c.WaitForTextAsync("</stream:stream>");
        await c.SendAsync("</stream:stream>");
        await _run.WaitAsync(TimeSpan.FromSeconds(5));
        var text = c.Text;
        Assert.That(text.IndexOf("last words 99", StringComparison.Ordinal),
            Is.GreaterThan(0).And.LessThan(text.IndexOf("</stream:stream>", StringComparison.Ordinal)));
    }

    [Test]
    public async Task An_idle_link_sends_whitespace_keepalives()
    {
        Start(o => o with { KeepaliveInterval = TimeSpan.FromMilliseconds(100) });
        var c = await ConnectedAsync();
        await c.WaitForTextAsync(" ", TimeSpan.FromSeconds(5));
        Assert.That(c.Text.Trim(), Is.Empty, "only whitespace while idle");
    }

    [Test]
    public void A_stanza_from_outside_the_domain_is_refused_before_it_can_break_the_stream()
    {
        Start();
        Assert.ThrowsAsync<ArgumentException>(async () =>
            await _link.SendAsync(Stanza.Message(Jid.Parse("other.test"), Jid.Parse("user@test/r"), "chat", "x")));
    }

    [Test]
    public void The_secret_never_appears_in_the_options_text()
    {
        var options = new ComponentOptions { Domain = Domain, Secret = "very-secret-value" };
        Assert.That(options.ToString(), Does.Not.Contain("very-secret-value"));
    }
}
