using System.Text;
using System.Xml.Linq;
using XmppGroupChat.Component;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Component;

/// <summary>The incremental reader on its own: golden stanzas in, elements out, bad input refused.</summary>
[TestFixture]
public sealed class XmppStreamReaderTests
{
    private const string Header = "<?xml version='1.0'?><stream:stream xmlns='jabber:component:accept' " +
                                  "xmlns:stream='http://etherx.jabber.org/streams' id='abc' from='mix.test'>";

    private static XmppStreamReader Reader(string xml, int maxBytes = 512 * 1024, int maxDepth = 32) =>
        Reader(xml, new StanzaLimits { MaxStanzaBytes = maxBytes, MaxStanzaDepth = maxDepth });

    private static XmppStreamReader Reader(string xml, StanzaLimits limits) =>
        new(new MemoryStream(Encoding.UTF8.GetBytes(xml)), limits);

    private static Task<List<XElement>> ReadAll(string body, int maxBytes = 512 * 1024, int maxDepth = 32) =>
        ReadAll(body, new StanzaLimits { MaxStanzaBytes = maxBytes, MaxStanzaDepth = maxDepth });

    private static async Task<List<XElement>> ReadAll(string body, StanzaLimits limits)
    {
        if (!body.EndsWith("</stream:stream>")) body += "</stream:stream>";
        using var r = Reader(Header + body, limits);
        await r.ReadStreamHeaderAsync();
        var list = new List<XElement>();
        while (await r.ReadElementAsync() is { } e) list.Add(e);
        return list;
    }

    [Test]
    public async Task The_header_carries_the_stream_id()
    {
        using var r = Reader(Header);
        var header = await r.ReadStreamHeaderAsync();
        Assert.That((string?)header.Attribute("id"), Is.EqualTo("abc"));
    }

    [Test]
    public async Task Stanzas_come_out_one_by_one_in_the_stream_namespace_with_whitespace_keepalives_skipped()
    {
        var stanzas = await ReadAll(
            "<message from='a@b/c' to='room@mix.test' type='groupchat' xml:lang='en'><body>hi &amp; bye</body></message>" +
            "   \n " +
            "<presence from='a@b/c' to='room@mix.test'/>" +
            "<iq type='get' id='1' from='a@b/c' to='mix.test'><ping xmlns='urn:xmpp:ping'/></iq></stream:stream>");
        Assert.That(stanzas.Select(s => s.Name.LocalName), Is.EqualTo(new[] { "message", "presence", "iq" }));
        Assert.That(stanzas[0].Name.Namespace, Is.EqualTo(Ns.Component));
        Assert.That(stanzas[0].Element(Ns.Component + "body")!.Value, Is.EqualTo("hi & bye"));
        Assert.That((string?)stanzas[0].Attribute(XNamespace.Xml + "lang"), Is.EqualTo("en"));
        Assert.That(stanzas[2].Element(Ns.Ping + "ping"), Is.Not.Null);
    }

    [Test]
    public async Task Namespace_declarations_are_not_kept_as_attributes()
    {
        var stanzas = await ReadAll("<message xmlns:x='urn:x' from='a@b' to='c@d'><x:y/></message>");
        Assert.That(stanzas[0].Attributes().Select(a => a.Name.LocalName), Is.EquivalentTo(new[] { "from", "to" }));
        Assert.That(stanzas[0].Elements().Single().Name, Is.EqualTo(XName.Get("y", "urn:x")));
    }

    [Test]
    public async Task The_end_of_the_stream_returns_null()
    {
        using var r = Reader(Header + "</stream:stream>");
        await r.ReadStreamHeaderAsync();
        Assert.That(await r.ReadElementAsync(), Is.Null);
    }

    [Test]
    public async Task A_connection_that_ends_mid_stream_is_a_closed_connection_not_bad_xml()
    {
        using var r = Reader(Header + "<message><bo");
        await r.ReadStreamHeaderAsync();
        Assert.ThrowsAsync<EndOfStreamException>(async () => await r.ReadElementAsync());
    }

    [Test]
    public void A_stream_that_is_not_an_xmpp_stream_is_refused_with_invalid_namespace()
    {
        using var r = Reader("<html>");
        var ex = Assert.ThrowsAsync<StreamViolationException>(async () => await r.ReadStreamHeaderAsync());
        Assert.That(ex!.Condition, Is.EqualTo(StreamErrorCondition.InvalidNamespace));
    }

    [Test]
    public void A_dtd_is_refused_with_restricted_xml()
    {
        using var r = Reader("<?xml version='1.0'?><!DOCTYPE s [<!ENTITY e 'x'>]>" + Header[21..]);
        var ex = Assert.ThrowsAsync<StreamViolationException>(async () => await r.ReadStreamHeaderAsync());
        Assert.That(ex!.Condition, Is.EqualTo(StreamErrorCondition.RestrictedXml));
    }

    [TestCase("<!-- c -->", StreamErrorCondition.RestrictedXml)]
    [TestCase("<?pi data?>", StreamErrorCondition.RestrictedXml)]
    [TestCase("<message><body>&ent;</body></message>", StreamErrorCondition.NotWellFormed)]
    [TestCase("<message><body>x</message>", StreamErrorCondition.NotWellFormed)]
    [TestCase("<message><body>\u0001</body></message>", StreamErrorCondition.NotWellFormed)]
    public void Restricted_or_malformed_xml_is_refused_with_the_right_condition(string body, string condition)
    {
        var ex = Assert.ThrowsAsync<StreamViolationException>(async () => await ReadAll(body));
        Assert.That(ex!.Condition, Is.EqualTo(condition));
    }

    private const string Ping = "<iq type='get' id='next' from='a@b/c' to='mix.test'><ping xmlns='urn:xmpp:ping'/></iq>";

    /// <summary>The stand-in a skipped stanza leaves: name and addressing only, and why it was skipped.</summary>
    private static void AssertStandIn(XElement e, string expectedXml, string reason)
    {
        XmlAssert.AreEqual(expectedXml, e);
        Assert.That(e.Nodes(), Is.Empty, "nothing of the content is built");
        Assert.That(SkippedStanza.ReasonFor(e), Is.EqualTo(reason));
    }

    [Test]
    public async Task Nesting_deeper_than_the_cap_skips_that_stanza_and_the_next_one_is_read()
    {
        var deep = string.Concat(Enumerable.Repeat("<a>", 10)) + "text" + string.Concat(Enumerable.Repeat("</a>", 10));
        var stanzas = await ReadAll($"<message from='a@b/c' to='room@mix.test' id='m1' type='groupchat' xml:lang='en'><body>x</body>{deep}</message>{Ping}", maxDepth: 5);
        Assert.That(stanzas, Has.Count.EqualTo(2));
        AssertStandIn(stanzas[0], "<message xmlns='jabber:component:accept' from='a@b/c' to='room@mix.test' id='m1' type='groupchat'/>",
            "stanza nested deeper than 5 elements");
        Assert.That(SkippedStanza.ReasonFor(stanzas[1]), Is.Null);
        XmlAssert.AreEqual(Ping.Replace("<iq ", "<iq xmlns='jabber:component:accept' "), stanzas[1]);
    }

    [Test]
    public async Task A_stanza_with_too_many_attributes_on_one_element_is_skipped_without_being_built()
    {
        var wide = string.Concat(Enumerable.Range(0, 200).Select(i => $" a{i}='{i}'"));
        var stanzas = await ReadAll($"<iq type='get' id='w1' from='a@b/c' to='mix.test'{wide}><ping xmlns='urn:xmpp:ping'/></iq>" +
                                    $"<iq type='get' id='w2' from='a@b/c' to='mix.test'><ping xmlns='urn:xmpp:ping'{wide}/></iq>{Ping}");
        AssertStandIn(stanzas[0], "<iq xmlns='jabber:component:accept' type='get' id='w1' from='a@b/c' to='mix.test'/>",
            "an element with more than 128 attributes");
        AssertStandIn(stanzas[1], "<iq xmlns='jabber:component:accept' type='get' id='w2' from='a@b/c' to='mix.test'/>",
            "an element with more than 128 attributes");
        Assert.That(stanzas[2].GetId(), Is.EqualTo("next"));
    }

    [Test]
    public void A_second_stream_header_is_an_unsupported_stanza_type()
    {
        var ex = Assert.ThrowsAsync<StreamViolationException>(async () =>
            await ReadAll($"<stream:stream xmlns:stream='http://etherx.jabber.org/streams' id='again'>{Ping}"));
        Assert.That(ex!.Condition, Is.EqualTo(StreamErrorCondition.UnsupportedStanzaType));
    }

    [Test]
    public void Nesting_past_the_stream_limit_is_a_policy_violation()
    {
        var deep = string.Concat(Enumerable.Repeat("<a>", 100)) + string.Concat(Enumerable.Repeat("</a>", 100));
        var ex = Assert.ThrowsAsync<StreamViolationException>(async () =>
            await ReadAll($"<message>{deep}</message>", new StanzaLimits { MaxStanzaDepth = 5, MaxStreamStanzaDepth = 50 }));
        Assert.That(ex!.Condition, Is.EqualTo(StreamErrorCondition.PolicyViolation));
    }

    [Test]
    public async Task Text_is_read_whole_across_chunks_with_its_entities_and_surrogate_pairs()
    {
        // Long enough to span many of the reader's 4096-character chunks and the parser's buffers.
        var unit = "ab&amp;c \U0001F600 d&lt;e ";
        var text = string.Concat(Enumerable.Repeat("ab&c \U0001F600 d<e ", 3000));
        var stanzas = await ReadAll($"<message from='a@b/c'><body>{string.Concat(Enumerable.Repeat(unit, 3000))}</body>" +
                                    "<x xmlns='urn:x'>\n  <![CDATA[a <raw> section]]>\n</x></message>");
        Assert.That(stanzas[0].Element(Ns.Component + "body")!.Value, Is.EqualTo(text));
        Assert.That(stanzas[0].Element(XName.Get("x", "urn:x"))!.Value, Is.EqualTo("\n  a <raw> section\n"), "whitespace and CDATA inside a stanza are content");
    }

    [Test]
    public async Task Nesting_up_to_the_cap_is_fine()
    {
        var ok = string.Concat(Enumerable.Repeat("<a>", 4)) + string.Concat(Enumerable.Repeat("</a>", 4));
        Assert.That(await ReadAll($"<message>{ok}</message>", maxDepth: 5), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_stanza_larger_than_the_cap_is_skipped_and_the_next_one_is_read()
    {
        var stanzas = await ReadAll($"<message from='a@b/c' to='r@mix.test' id='big'><body>{new string('x', 300_000)}</body><more/></message>{Ping}",
            maxBytes: 1024);
        AssertStandIn(stanzas[0], "<message xmlns='jabber:component:accept' from='a@b/c' to='r@mix.test' id='big'/>", "stanza larger than 1024 bytes");
        Assert.That(stanzas[1].GetId(), Is.EqualTo("next"));
    }

    [Test]
    public async Task A_start_tag_larger_than_the_cap_is_skipped_and_the_next_one_is_read()
    {
        var stanzas = await ReadAll($"<presence from='a@b/c' to='r@mix.test/n' big='{new string('y', 100_000)}'/>{Ping}", maxBytes: 1024);
        AssertStandIn(stanzas[0], "<presence xmlns='jabber:component:accept' from='a@b/c' to='r@mix.test/n'/>", "stanza larger than 1024 bytes");
        Assert.That(stanzas[1].GetId(), Is.EqualTo("next"));
    }

    [Test]
    public void A_stanza_past_the_stream_size_limit_is_a_policy_violation()
    {
        var ex = Assert.ThrowsAsync<StreamViolationException>(async () =>
            await ReadAll($"<message><body>{new string('x', 300_000)}</body></message>",
                new StanzaLimits { MaxStanzaBytes = 1024, MaxStreamStanzaBytes = 64 * 1024 }));
        Assert.That(ex!.Condition, Is.EqualTo(StreamErrorCondition.PolicyViolation));
    }

    [Test]
    public async Task The_size_cap_applies_per_stanza_not_per_stream()
    {
        // 200 stanzas of ~2 KB each: 400 KB in all, each well under a 16 KB cap.
        var one = $"<message><body>{new string('y', 2000)}</body></message>";
        var stanzas = await ReadAll(string.Concat(Enumerable.Repeat(one, 200)), maxBytes: 16 * 1024);
        Assert.That(stanzas, Has.Count.EqualTo(200));
    }
}
