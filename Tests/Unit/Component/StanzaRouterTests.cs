using System.Xml.Linq;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using XmppGroupChat.Component;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Component;

/// <summary>Dispatch rules, stanzas in and stanzas out: the sender is the seam, mocked.</summary>
[TestFixture]
public sealed class StanzaRouterTests
{
    private static readonly Jid Domain = Jid.Parse("mix.test");
    private StanzaRouter _router = null!;
    private List<XElement> _sent = null!;
    private Mock<IStanzaSender> _sender = null!;

    [SetUp]
    public void SetUp()
    {
        _router = new StanzaRouter(NullLogger.Instance);
        _sent = new List<XElement>();
        _sender = new Mock<IStanzaSender>();
        _sender.SetupGet(s => s.Domain).Returns(Domain);
        _sender.Setup(s => s.SendAsync(It.IsAny<XElement>(), It.IsAny<CancellationToken>()))
            .Callback<XElement, CancellationToken>((e, _) => _sent.Add(e))
            .Returns(ValueTask.CompletedTask);
    }

    private async Task<XElement?> Dispatch(string xml)
    {
        await _router.DispatchAsync(XElement.Parse(xml), _sender.Object, CancellationToken.None);
        return _sent.SingleOrDefault();
    }

    private static StanzaErrorCondition? ConditionOf(XElement? e) => e is null ? null : StanzaError.FromStanza(e)?.Condition;

    [Test]
    public async Task A_handled_iq_gets_its_result_with_the_addresses_swapped()
    {
        _router.OnIqGet(Ns.Ping + "ping", (_, _) => ValueTask.FromResult<XElement?>(null));
        var reply = await Dispatch("<iq xmlns='jabber:component:accept' type='get' id='1' from='a@b/c' to='mix.test'><ping xmlns='urn:xmpp:ping'/></iq>");
        XmlAssert.AreEqual("<iq xmlns='jabber:component:accept' type='result' id='1' from='mix.test' to='a@b/c'/>", reply!);
    }

    [Test]
    public async Task An_unhandled_iq_gets_service_unavailable()
    {
        var reply = await Dispatch("<iq xmlns='jabber:component:accept' type='set' id='2' from='a@b/c' to='mix.test'><query xmlns='urn:x'/></iq>");
        Assert.That(ConditionOf(reply), Is.EqualTo(StanzaErrorCondition.ServiceUnavailable));
        Assert.That((string?)reply!.Attribute("id"), Is.EqualTo("2"));
    }

    [TestCase("<iq xmlns='jabber:component:accept' type='get' id='3' from='a@b/c' to='mix.test'/>")]
    [TestCase("<iq xmlns='jabber:component:accept' type='get' id='3' from='a@b/c' to='mix.test'><a xmlns='urn:x'/><b xmlns='urn:x'/></iq>")]
    [TestCase("<iq xmlns='jabber:component:accept' type='fetch' id='3' from='a@b/c' to='mix.test'><a xmlns='urn:x'/></iq>")]
    public async Task A_malformed_iq_gets_bad_request(string xml)
    {
        Assert.That(ConditionOf(await Dispatch(xml)), Is.EqualTo(StanzaErrorCondition.BadRequest));
    }

    [Test]
    public async Task An_iq_request_without_an_id_gets_bad_request_before_any_handler_sees_it()
    {
        var handled = 0;
        _router.OnIqGet(Ns.Ping + "ping", (_, _) => { handled++; return ValueTask.FromResult<XElement?>(null); });
        _router.OnIq((_, _) => { handled++; return ValueTask.CompletedTask; }, iq => iq.GetTo()!.Local != null);
        XmlAssert.AreEqual(
            "<iq xmlns='jabber:component:accept' type='error' from='mix.test' to='a@b/c'><ping xmlns='urn:xmpp:ping'/>" +
            "<error type='modify'><bad-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>" +
            "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' xml:lang='en'>an IQ get or set must carry an id</text></error></iq>",
            (await Dispatch("<iq xmlns='jabber:component:accept' type='get' from='a@b/c' to='mix.test'><ping xmlns='urn:xmpp:ping'/></iq>"))!);
        _sent.Clear();
        Assert.That(ConditionOf(await Dispatch("<iq xmlns='jabber:component:accept' type='set' from='a@b/c' to='room@mix.test'><q xmlns='urn:x'/></iq>")),
            Is.EqualTo(StanzaErrorCondition.BadRequest), "the relay routes do not see it either");
        Assert.That(handled, Is.Zero);
    }

    [Test]
    public async Task A_skipped_stanza_gets_policy_violation_with_the_reason_before_any_handler_sees_it()
    {
        var handled = 0;
        _router.OnMessage((_, _) => { handled++; return ValueTask.CompletedTask; });
        var standIn = SkippedStanza.StandIn(Ns.Component + "message", "a@b/c", "room@mix.test", "m1", "groupchat", "stanza larger than 524288 bytes");
        await _router.DispatchAsync(standIn, _sender.Object, CancellationToken.None);
        XmlAssert.AreEqual(
            "<message xmlns='jabber:component:accept' type='error' id='m1' from='room@mix.test' to='a@b/c'>" +
            "<error type='modify'><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>" +
            "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' xml:lang='en'>stanza larger than 524288 bytes</text></error></message>",
            _sent.Single());
        Assert.That(handled, Is.Zero);
    }

    [Test]
    public async Task A_skipped_iq_response_reaches_a_relay_as_a_policy_violation_error_from_its_sender()
    {
        var relayed = new List<XElement>();
        _router.OnIq((iq, _) => { relayed.Add(iq); return ValueTask.CompletedTask; }, iq => iq.IsResponse());
        var standIn = SkippedStanza.StandIn(Ns.Component + "iq", "room@muc.remote", "room@mix.test/s1", "r1", "result", "stanza larger than 524288 bytes");
        await _router.DispatchAsync(standIn, _sender.Object, CancellationToken.None);
        XmlAssert.AreEqual(
            "<iq xmlns='jabber:component:accept' type='error' id='r1' from='room@muc.remote' to='room@mix.test/s1'>" +
            "<error type='modify'><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>" +
            "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' xml:lang='en'>stanza larger than 524288 bytes</text></error></iq>",
            relayed.Single());
        Assert.That(_sent, Is.Empty, "and nothing is answered to the response's sender");
    }

    [TestCase("message", "error")]
    [TestCase("iq", "result")]
    [TestCase("iq", "error")]
    [TestCase("presence", "error")]
    public async Task A_skipped_error_or_result_is_not_answered(string kind, string type)
    {
        var standIn = SkippedStanza.StandIn(Ns.Component + kind, "a@b/c", "room@mix.test", "x1", type, "stanza larger than 524288 bytes");
        await _router.DispatchAsync(standIn, _sender.Object, CancellationToken.None);
        Assert.That(_sent, Is.Empty);
    }

    [TestCase("result")]
    [TestCase("error")]
    public async Task A_result_or_error_is_never_answered(string type)
    {
        Assert.That(await Dispatch($"<iq xmlns='jabber:component:accept' type='{type}' id='4' from='a@b/c' to='mix.test'/>"), Is.Null);
    }

    [Test]
    public async Task A_handler_refusal_becomes_the_stanza_error_it_names()
    {
        _router.OnIqSet(XName.Get("q", "urn:x"), (_, _) => throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "owners only")));
        var reply = await Dispatch("<iq xmlns='jabber:component:accept' type='set' id='5' from='a@b/c' to='mix.test'><q xmlns='urn:x'/></iq>");
        var error = StanzaError.FromStanza(reply!)!;
        Assert.That(error.Condition, Is.EqualTo(StanzaErrorCondition.Forbidden));
        Assert.That(error.Text, Is.EqualTo("owners only"));
    }

    [Test]
    public async Task A_handler_crash_becomes_internal_server_error_not_a_dead_dispatcher()
    {
        _router.OnIqSet(XName.Get("q", "urn:x"), (_, _) => throw new InvalidOperationException("bug"));
        var reply = await Dispatch("<iq xmlns='jabber:component:accept' type='set' id='6' from='a@b/c' to='mix.test'><q xmlns='urn:x'/></iq>");
        Assert.That(ConditionOf(reply), Is.EqualTo(StanzaErrorCondition.InternalServerError));
    }

    [Test]
    public async Task An_unhandled_message_is_bounced_with_service_unavailable()
    {
        var reply = await Dispatch("<message xmlns='jabber:component:accept' type='chat' id='7' from='a@b/c' to='mix.test'><body>hi</body></message>");
        Assert.That(ConditionOf(reply), Is.EqualTo(StanzaErrorCondition.ServiceUnavailable));
        Assert.That(reply!.Element(Ns.Component + "body"), Is.Null, "a bounce does not echo the body");
    }

    [Test]
    public async Task An_error_message_or_a_presence_nobody_handles_gets_no_answer()
    {
        Assert.That(await Dispatch("<message xmlns='jabber:component:accept' type='error' id='8' from='a@b/c' to='mix.test'/>"), Is.Null);
        Assert.That(await Dispatch("<presence xmlns='jabber:component:accept' from='a@b/c' to='mix.test'/>"), Is.Null);
    }

    [Test]
    public async Task The_first_matching_message_handler_wins()
    {
        var seen = new List<string>();
        _router.OnMessage((_, _) => { seen.Add("groupchat"); return ValueTask.CompletedTask; }, m => m.GetStanzaType() == "groupchat");
        _router.OnMessage((_, _) => { seen.Add("any"); return ValueTask.CompletedTask; });
        await Dispatch("<message xmlns='jabber:component:accept' type='groupchat' from='a@b/c' to='r@mix.test'/>");
        await Dispatch("<message xmlns='jabber:component:accept' type='chat' from='a@b/c' to='r@mix.test'/>");
        Assert.That(seen, Is.EqualTo(new[] { "groupchat", "any" }));
    }

    [Test]
    public async Task A_malformed_to_is_answered_with_jid_malformed_from_the_domain()
    {
        var reply = await Dispatch("<iq xmlns='jabber:component:accept' type='get' id='9' from='a@b/c' to='@@mix.test'><q xmlns='urn:x'/></iq>");
        Assert.That(ConditionOf(reply), Is.EqualTo(StanzaErrorCondition.JidMalformed));
        Assert.That((string?)reply!.Attribute("from"), Is.EqualTo("mix.test"));
    }

    [TestCase("<iq xmlns='jabber:component:accept' type='get' id='10' to='mix.test'><q xmlns='urn:x'/></iq>")]
    [TestCase("<iq xmlns='jabber:component:accept' type='get' id='10' from='@bad' to='mix.test'><q xmlns='urn:x'/></iq>")]
    public async Task A_stanza_without_a_valid_sender_cannot_be_answered_and_is_logged_instead(string xml)
    {
        Assert.That(await Dispatch(xml), Is.Null);
    }

    [Test]
    public void Registering_the_same_iq_twice_is_a_programming_error()
    {
        _router.OnIqGet(Ns.Ping + "ping", (_, _) => ValueTask.FromResult<XElement?>(null));
        Assert.Throws<InvalidOperationException>(() => _router.OnIqGet(Ns.Ping + "ping", (_, _) => ValueTask.FromResult<XElement?>(null)));
    }

    [Test]
    public async Task An_iq_route_takes_requests_and_responses_before_the_payload_handlers_and_answers_itself()
    {
        var routed = new List<string>();
        _router.OnIqGet(Ns.Ping + "ping", (_, _) => ValueTask.FromResult<XElement?>(null));
        _router.OnIq((iq, _) => { routed.Add(iq.GetId()!); return ValueTask.CompletedTask; }, iq => iq.GetTo()!.Local != null);

        Assert.That(await Dispatch("<iq xmlns='jabber:component:accept' type='get' id='r1' from='a@b/c' to='room@mix.test'><ping xmlns='urn:xmpp:ping'/></iq>"), Is.Null);
        Assert.That(await Dispatch("<iq xmlns='jabber:component:accept' type='result' id='r2' from='a@b/c' to='room@mix.test/x'/>"), Is.Null);
        Assert.That(routed, Is.EqualTo(new[] { "r1", "r2" }), "the route answers (or not) by itself");
        Assert.That(await Dispatch("<iq xmlns='jabber:component:accept' type='get' id='r3' from='a@b/c' to='mix.test'><ping xmlns='urn:xmpp:ping'/></iq>"),
            Is.Not.Null, "other IQs still reach the payload handlers");
    }

    [Test]
    public async Task An_iq_route_that_throws_a_stanza_error_has_the_request_refused()
    {
        _router.OnIq((_, _) => throw new StanzaErrorException(StanzaErrorCondition.NotAcceptable), _ => true);
        Assert.That(ConditionOf(await Dispatch("<iq xmlns='jabber:component:accept' type='get' id='e1' from='a@b/c' to='room@mix.test'><q xmlns='urn:x'/></iq>")),
            Is.EqualTo(StanzaErrorCondition.NotAcceptable));
    }
}
