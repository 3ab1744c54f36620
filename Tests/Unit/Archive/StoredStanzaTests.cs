using System.Text;
using System.Xml.Linq;
using XmppGroupChat.Archive;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Archive;

/// <summary>The stored form of a stanza: compact, without the stream namespace, read back equal.</summary>
[TestFixture]
public sealed class StoredStanzaTests
{
    private static XElement RoundTrip(XElement stanza) => StoredStanza.Decode(StoredStanza.Encode(stanza));

    [Test]
    public void The_stored_form_omits_the_stream_namespace_and_reads_back_in_the_component_namespace()
    {
        var stanza = Stanza.Message(Jid.Parse("room@mix.test/x"), Jid.Parse("a@test"), "groupchat", "hi", "m1");
        var bytes = StoredStanza.Encode(stanza);
        Assert.That(Encoding.UTF8.GetString(bytes), Is.EqualTo(
            "<message from=\"room@mix.test/x\" to=\"a@test\" id=\"m1\" type=\"groupchat\"><body>hi</body></message>"));
        var back = StoredStanza.Decode(bytes);
        Assert.That(back.Name, Is.EqualTo(Ns.Component + "message"));
        Assert.That(XNode.DeepEquals(stanza, back), Is.True);
    }

    [TestCase("  ")]
    [TestCase("\n\tindented\n")]
    [TestCase("a < b && c > d \"quoted\" 'single' ]]>")]
    [TestCase("日本語 🎉 Grüße")]
    [TestCase("")]
    public void Body_text_comes_back_exactly(string body)
    {
        var stanza = Stanza.Message(null, Jid.Parse("a@test"), "groupchat", body);
        var back = RoundTrip(stanza);
        Assert.That(back.Element(Ns.Component + "body")!.Value, Is.EqualTo(body));
    }

    [Test]
    public void Foreign_payloads_xml_lang_and_namespaced_attributes_come_back_equal()
    {
        var other = XNamespace.Get("urn:example:attr");
        var stanza = new XElement(Ns.Component + "message",
            new XAttribute(XNamespace.Xml + "lang", "de"),
            new XAttribute(other + "flag", "1"),
            new XElement(Ns.MixCore + "mix", new XElement(Ns.MixCore + "nick", "ä")),
            new XElement(XNamespace.Get("urn:xmpp:forward:0") + "forwarded",
                new XElement(Ns.Client + "message", new XElement(Ns.Client + "body", "inner"))));
        var back = RoundTrip(stanza);
        Assert.That(XNode.DeepEquals(stanza, back), Is.True, back.ToString());
    }

    [Test]
    public void Several_stored_stanzas_decode_in_one_pass_each_equal_to_its_own_decode()
    {
        var other = XNamespace.Get("urn:example:attr");
        var stanzas = new[]
        {
            Stanza.Message(null, Jid.Parse("a@test"), "groupchat", "  "),
            new XElement(Ns.Component + "message", new XAttribute(other + "flag", "1"), new XElement(Ns.Component + "body", "x")),
            new XElement("unqualified", new XElement("child", "text")),
            Stanza.Message(null, Jid.Parse("b@test"), "groupchat", "\n"),
        };
        var decoded = StoredStanza.DecodeAll(stanzas.Select(StoredStanza.Encode).ToList());
        Assert.That(decoded, Has.Length.EqualTo(stanzas.Length));
        for (var i = 0; i < stanzas.Length; i++)
            Assert.That(XNode.DeepEquals(stanzas[i], decoded[i]), Is.True, decoded[i].ToString());
        Assert.That(StoredStanza.DecodeAll([]), Is.Empty);
    }

    [Test]
    public void A_copy_is_detached_and_normalised_like_a_decode()
    {
        var stanza = new XElement(Ns.Client + "message", new XElement(Ns.Client + "body", "x"));
        var copy = StoredStanza.Copy(stanza);
        Assert.That(XNode.DeepEquals(copy, RoundTrip(stanza)), Is.True);
        copy.RemoveNodes();
        Assert.That(stanza.Element(Ns.Client + "body"), Is.Not.Null);
    }

    [Test]
    public void Ids_are_distinct_and_share_a_prefix_when_made_together()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => ArchiveIds.New()).ToList();
        Assert.That(ids, Is.Unique);
        Assert.That(ids, Has.All.Length.EqualTo(ArchiveIds.Length));
        // The leading characters are time: ids made within a few seconds share them (index locality).
        Assert.That(ids.Select(id => id[..5]).Distinct().Count(), Is.LessThanOrEqualTo(2));
    }
}
