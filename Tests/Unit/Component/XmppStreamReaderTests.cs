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
        new(new MemoryStream(Encoding.UTF8.GetBytes(xml)), maxBytes, maxDepth);

    private static async Task<List<XElement>> ReadAll(string body, int maxBytes = 512 * 1024, int maxDepth = 32)
    {
        if (!body.EndsWith("</stream:stream>")) body += "</stream:stream>";
        using var r = Reader(Header + body, maxBytes, maxDepth);
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

    [Test]
    public void Nesting_deeper_than_the_cap_is_a_policy_violation()
    {
        var deep = string.Concat(Enumerable.Repeat("<a>", 10)) + string.Concat(Enumerable.Repeat("</a>", 10));
        var ex = Assert.ThrowsAsync<StreamViolationException>(async () => await ReadAll($"<message>{deep}</message>", maxDepth: 5));
        Assert.That(ex!.Condition, Is.EqualTo(StreamErrorCondition.PolicyViolation));
    }

    [Test]
    public async Task Nesting_up_to_the_cap_is_fine()
    {
        var ok = string.Concat(Enumerable.Repeat("<a>", 4)) + string.Concat(Enumerable.Repeat("</a>", 4));
        Assert.That(await ReadAll($"<message>{ok}</message>", maxDepth: 5), Has.Count.EqualTo(1));
    }

    [Test]
    public void A_stanza_far_larger_than_the_cap_is_a_policy_violation()
    {
        var ex = Assert.ThrowsAsync<StreamViolationException>(async () =>
            await ReadAll($"<message><body>{new string('x', 300_000)}</body></message>", maxBytes: 1024));
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
