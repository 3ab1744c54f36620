using System.Diagnostics;
using System.Text;
using System.Xml.Linq;
using XmppGroupChat.Component;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Component;

/// <summary>
/// A stanza the server forwarded that breaks a per-stanza limit is one user's stanza: its sender
/// gets policy-violation and the stream carries on. Only what a broken server could send (past the
/// stream limits, or a second stream header) closes the stream.
/// </summary>
[TestFixture]
public sealed class ComponentLinkLimitsTests
{
    private const string Room = "room@" + LinkHarness.Domain;
    private LinkHarness _h = null!;

    [TearDown]
    public async Task TearDown() => await _h.DisposeAsync();

    private async Task<FakeConnection> StartAsync(Func<ComponentOptions, ComponentOptions>? tweak = null)
    {
        _h = LinkHarness.Start(tweak);
        return await _h.ConnectedAsync();
    }

    private static string PolicyViolation(string kind, string id, string text, string from = Room) =>
        LinkHarness.Error(kind, id, from, "policy-violation", "modify", text);

    /// <summary>The stream is the same one: the link neither closed it nor connected again.</summary>
    private async Task AssertStreamKeptAsync(FakeConnection c, string pingId)
    {
        await c.SendAsync(LinkHarness.Ping(pingId));
        XmlAssert.AreEqual(LinkHarness.PingResult(pingId), await c.WaitForIdAsync(pingId));
        Assert.That(c.Closed.IsCompleted, Is.False, "the stream is still open");
        Assert.That(_h.Server.Connections, Is.EqualTo(1), "no reconnection");
        Assert.That(_h.Logger.WithId(1005), Is.Empty, "no stream error");
    }

    [Test]
    public async Task A_message_whose_text_the_server_reescaped_past_the_size_limit_gets_policy_violation_and_the_stream_carries_on()
    {
        // Prosody re-escapes each ' of a 100,000-character body as &apos;: 600 KB reach the link.
        var c = await StartAsync();
        var body = string.Concat(Enumerable.Repeat("&apos;", 100_000));
        await c.SendAsync($"<message from='user@test/r' to='{Room}' id='big' type='groupchat'><body>{body}</body></message>");

        XmlAssert.AreEqual(PolicyViolation("message", "big", "stanza larger than 524288 bytes"), await c.WaitForIdAsync("big"));
        await AssertStreamKeptAsync(c, "after");
        var rejected = await _h.Logger.WaitForAsync(1101);
        Assert.That((rejected["Condition"], rejected["From"]), Is.EqualTo(("policy-violation", "user@test/r")));
    }

    [Test]
    public async Task A_message_nested_deeper_than_the_limit_gets_policy_violation_and_the_stream_carries_on()
    {
        // What Prosody 0.12 forwards from any client: it does not limit nesting depth.
        var c = await StartAsync();
        var open = string.Concat(Enumerable.Repeat("<a xmlns='urn:x'>", 34));
        var close = string.Concat(Enumerable.Repeat("</a>", 34));
        await c.SendAsync($"<message from='user@test/r' to='{Room}' id='deep' type='groupchat'><body>x</body>{open}{close}</message>");

        XmlAssert.AreEqual(PolicyViolation("message", "deep", "stanza nested deeper than 32 elements"), await c.WaitForIdAsync("deep"));
        await AssertStreamKeptAsync(c, "after");
    }

    [Test]
    public async Task Ten_iqs_with_24000_attributes_each_get_policy_violation_and_the_link_stays_responsive()
    {
        var c = await StartAsync();
        var attributes = new StringBuilder();
        for (var i = 0; i < 24_000; i++) attributes.Append(" a").Append(i).Append("=''");
        var flood = new StringBuilder();
        for (var n = 0; n < 10; n++)
            flood.Append($"<iq type='get' id='wide{n}' from='user@test/r' to='{LinkHarness.Domain}'{attributes}><ping xmlns='urn:xmpp:ping'/></iq>");

        var elapsed = Stopwatch.StartNew();
        await c.SendAsync(flood.ToString());
        await c.SendAsync(LinkHarness.Ping("after"));
        await c.WaitForIdAsync("after");
        TestContext.Out.WriteLine($"ten IQs of 24,000 attributes ({flood.Length / 1024} KiB) and a ping answered in {elapsed.ElapsedMilliseconds} ms");

        for (var n = 0; n < 10; n++)
            XmlAssert.AreEqual(PolicyViolation("iq", $"wide{n}", "an element with more than 128 attributes", from: LinkHarness.Domain),
                await c.WaitForIdAsync($"wide{n}"));
        await AssertStreamKeptAsync(c, "again");
    }

    [Test]
    public async Task An_oversized_error_or_result_is_never_answered()
    {
        var c = await StartAsync(o => o with { Limits = o.Limits with { MaxStanzaBytes = 16 * 1024 } });
        var filler = new string('x', 64 * 1024);
        await c.SendAsync($"<message from='user@test/r' to='{Room}' id='e1' type='error'><body>{filler}</body></message>");
        await c.SendAsync($"<iq from='user@test/r' to='{LinkHarness.Domain}' id='r1' type='result'><q xmlns='urn:x'>{filler}</q></iq>");
        await c.SendAsync(LinkHarness.Ping("after"));

        await c.WaitForIdAsync("after");
        Assert.That(c.Stanzas().Select(s => (string?)s.Attribute("id")), Is.EqualTo(new[] { "after" }), "only the ping is answered");
        Assert.That(_h.Logger.WithId(1101).Select(e => e["Kind"]), Is.EqualTo(new[] { "message", "iq" }), "both are logged");
    }

    [Test]
    public async Task An_oversized_response_fails_the_request_waiting_for_it_with_policy_violation()
    {
        var c = await StartAsync(o => o with { Limits = o.Limits with { MaxStanzaBytes = 16 * 1024 } });
        var request = _h.Link.RequestAsync(Stanza.Iq("get", _h.Link.Domain, Jid.Parse("user@test/r"), new XElement(Ns.DiscoItems + "query"), "q1"));
        await c.WaitForIdAsync("q1");
        var items = string.Concat(Enumerable.Range(0, 2000).Select(i => $"<item jid='room{i}@muc.test'/>"));
        await c.SendAsync($"<iq type='result' id='q1' from='user@test/r' to='{LinkHarness.Domain}'><query xmlns='http://jabber.org/protocol/disco#items'>{items}</query></iq>");

        var ex = Assert.ThrowsAsync<StanzaErrorException>(async () => await request.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.That(ex!.Error, Is.EqualTo(StanzaError.Of(StanzaErrorCondition.PolicyViolation, "stanza larger than 16384 bytes")));
        await AssertStreamKeptAsync(c, "after");
    }

    [Test]
    public async Task A_stanza_just_under_the_size_limit_is_handled_and_one_just_over_it_is_refused()
    {
        var c = await StartAsync(o => o with { Limits = o.Limits with { MaxStanzaBytes = 64 * 1024 } });
        // A few small stanzas first, so the parser has read ahead across stanza boundaries.
        for (var i = 0; i < 5; i++) await c.SendAsync(LinkHarness.Ping($"warm{i}"));
        await c.SendAsync($"<iq type='get' id='under' from='user@test/r' to='{LinkHarness.Domain}'><ping xmlns='urn:xmpp:ping'>{new string('u', 56 * 1024)}</ping></iq>");
        await c.SendAsync($"<iq type='get' id='over' from='user@test/r' to='{LinkHarness.Domain}'><ping xmlns='urn:xmpp:ping'>{new string('o', 80 * 1024)}</ping></iq>");

        XmlAssert.AreEqual(LinkHarness.PingResult("under"), await c.WaitForIdAsync("under"));
        XmlAssert.AreEqual(PolicyViolation("iq", "over", "stanza larger than 65536 bytes", from: LinkHarness.Domain), await c.WaitForIdAsync("over"));
    }

    [Test]
    public async Task A_stanza_past_the_stream_size_limit_closes_the_stream_with_policy_violation_and_the_link_reconnects()
    {
        var c = await StartAsync(o => o with { Limits = o.Limits with { MaxStanzaBytes = 16 * 1024, MaxStreamStanzaBytes = 64 * 1024 } });
        await c.SendAsync($"<message from='user@test/r' to='{Room}'><body>{new string('x', 1_000_000)}</body></message>");
        await c.WaitForTextAsync("<policy-violation");
        await c.Closed.WaitAsync(TimeSpan.FromSeconds(5));
        var again = await _h.Server.NextConnectionAsync();
        await again.SendAsync(LinkHarness.Ping("back"));
        await again.WaitForIdAsync("back");
    }

    [Test]
    public async Task Nesting_past_the_stream_depth_limit_closes_the_stream_with_policy_violation()
    {
        var c = await StartAsync(o => o with { Limits = o.Limits with { MaxStanzaDepth = 8, MaxStreamStanzaDepth = 64 } });
        var open = string.Concat(Enumerable.Repeat("<x xmlns='urn:example'>", 100));
        await c.SendAsync($"<message from='user@test/r' to='{Room}'>{open}");
        await c.WaitForTextAsync("<policy-violation");
        await c.Closed.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Test]
    public async Task A_second_stream_header_closes_the_stream_at_once_with_unsupported_stanza_type()
    {
        var c = await StartAsync();
        await c.SendAsync("<stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:component:accept' id='again'>");
        await c.SendAsync(LinkHarness.Ping("swallowed"));
        await c.WaitForTextAsync("<unsupported-stanza-type");
        await c.Closed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That(c.Text, Does.Not.Contain("swallowed"), "nothing after the second header is taken as a stanza");
    }
}
