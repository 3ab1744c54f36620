using System.Text;
using System.Xml.Linq;
using XmppGroupChat.Component;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Component;

/// <summary>Golden output of the hand-written serialiser, and round trips through the reader.</summary>
[TestFixture]
public sealed class StanzaSerializerTests
{
    private static string Write(XElement e, XNamespace? stream = null) => StanzaSerializer.ToXmlString(e, stream ?? Ns.Component);

    [Test]
    public void A_stanza_is_written_in_the_stream_namespace_without_repeating_it()
    {
        var m = Stanza.Message(Jid.Parse("room@mix.test/abc"), Jid.Parse("user@test/r"), "groupchat", "hello", "m1");
        m.Add(new XElement(Ns.StanzaId + "stanza-id", new XAttribute("id", "s1"), new XAttribute("by", "room@mix.test")));
        Assert.That(Write(m), Is.EqualTo(
            "<message from=\"room@mix.test/abc\" to=\"user@test/r\" id=\"m1\" type=\"groupchat\"><body>hello</body>" +
            "<stanza-id xmlns=\"urn:xmpp:sid:0\" id=\"s1\" by=\"room@mix.test\"/></message>"));
    }

    [Test]
    public void A_client_stanza_is_written_the_same_on_a_component_stream()
    {
        var m = new XElement(Ns.Client + "message", new XAttribute("to", "a@b"), new XElement(Ns.Client + "body", "x"));
        Assert.That(Write(m), Is.EqualTo("<message to=\"a@b\"><body>x</body></message>"));
    }

    [Test]
    public void A_stanza_nested_in_a_payload_keeps_its_own_namespace()
    {
        var fwd = XNamespace.Get("urn:xmpp:forward:0");
        var m = new XElement(Ns.Component + "message", new XAttribute("to", "a@b"),
            new XElement(Ns.Mam + "result",
                new XElement(fwd + "forwarded",
                    new XElement(Ns.Client + "message", new XAttribute("from", "c@d"), new XElement(Ns.Client + "body", "old")))));
        Assert.That(Write(m), Is.EqualTo(
            "<message to=\"a@b\"><result xmlns=\"urn:xmpp:mam:2\"><forwarded xmlns=\"urn:xmpp:forward:0\">" +
            "<message xmlns=\"jabber:client\" from=\"c@d\"><body>old</body></message></forwarded></result></message>"));
    }

    [Test]
    public void Text_and_attributes_are_escaped()
    {
        var m = new XElement(Ns.Component + "message", new XAttribute("id", "a\"<&>'\n"), new XElement(Ns.Component + "body", "<b> & ]]> \r\n"));
        Assert.That(Write(m), Is.EqualTo("<message id=\"a&quot;&lt;&amp;&gt;'&#xA;\"><body>&lt;b&gt; &amp; ]]&gt; &#xD;\n</body></message>"));
    }

    [Test]
    public void Characters_xml_cannot_carry_are_replaced_so_the_stream_survives()
    {
        var body = new XElement(Ns.Component + "body");
        body.Add(new XText("a\u0001b\uFFFEc\uD800d"));
        var m = new XElement(Ns.Component + "message", body);
        Assert.That(Write(m), Is.EqualTo("<message><body>a\uFFFDb\uFFFDc\uFFFDd</body></message>"));
    }

    [Test]
    public void Emoji_and_non_ascii_text_pass_through_as_utf8()
    {
        var m = new XElement(Ns.Component + "message", new XElement(Ns.Component + "body", "Grüße 👋 日本"));
        var bytes = StanzaSerializer.ToUtf8(m, Ns.Component);
        Assert.That(Encoding.UTF8.GetString(bytes), Does.Contain("Grüße 👋 日本"));
    }

    [Test]
    public void The_xml_lang_attribute_keeps_its_prefix()
    {
        var m = new XElement(Ns.Component + "message", new XAttribute(XNamespace.Xml + "lang", "de"));
        Assert.That(Write(m), Is.EqualTo("<message xml:lang=\"de\"/>"));
    }

    [Test]
    public async Task What_the_serialiser_writes_the_reader_reads_back_unchanged()
    {
        var original = XElement.Parse(
            "<iq xmlns='jabber:component:accept' type='result' id='x' from='mix.test' to='a@b/c'>" +
            "<query xmlns='http://jabber.org/protocol/disco#info'><identity category='conference' type='mix' name='M &amp; M'/>" +
            "<feature var='urn:xmpp:mix:core:1'/><x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE' type='hidden'>" +
            "<value>urn:xmpp:mix:core:1#serviceinfo</value></field></x></query></iq>");
        var xml = "<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' id='1'>" +
                  Write(original) + "</stream:stream>";
        using var reader = new XmppStreamReader(new MemoryStream(Encoding.UTF8.GetBytes(xml)), 65536, 32);
        await reader.ReadStreamHeaderAsync();
        var back = await reader.ReadElementAsync();
        XmlAssert.AreEqual(original, back!);
    }
}
