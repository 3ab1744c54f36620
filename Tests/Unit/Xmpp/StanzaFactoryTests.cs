using System.Xml.Linq;
using NUnit.Framework;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Xmpp;

[TestFixture]
public class StanzaFactoryTests
{
    [Test]
    public void Iq_BuildsComponentStanza()
    {
        var iq = Stanza.Iq("get", Jid.Parse("hag66@shakespeare.example/intibo24"), Jid.Parse("mix.shakespeare.example"),
            new XElement(Ns.DiscoInfo + "query"), "lx09df27");

        // The MIX seed's "Entity queries a service".
        XmlAssert.AreEqual("""
            <iq xmlns='jabber:component:accept'
                from='hag66@shakespeare.example/intibo24'
                id='lx09df27'
                to='mix.shakespeare.example'
                type='get'>
              <query xmlns='http://jabber.org/protocol/disco#info'/>
            </iq>
            """, iq);
    }

    [Test]
    public void Iq_WithoutId_GetsAFreshOne()
    {
        var first = Stanza.Iq("get", null, null, null);
        var second = Stanza.Iq("get", null, null, null);

        Assert.Multiple(() =>
        {
            Assert.That(first.GetId(), Is.Not.Null.And.Not.Empty);
            Assert.That(first.GetId(), Is.Not.EqualTo(second.GetId()));
            Assert.That(first.Attribute("from"), Is.Null);
            Assert.That(first.Attribute("to"), Is.Null);
            Assert.That(first.HasElements, Is.False);
        });
    }

    [TestCase("GET")]
    [TestCase("chat")]
    [TestCase("")]
    public void Iq_InvalidType_Throws(string type)
    {
        Assert.That(() => Stanza.Iq(type, null, null, null), Throws.ArgumentException);
    }

    [Test]
    public void Iq_NullType_Throws()
    {
        Assert.That(() => Stanza.Iq(null!, null, null, null), Throws.ArgumentNullException);
    }

    [Test]
    public void Message_WithBody()
    {
        var message = Stanza.Message(Jid.Parse("porthos@musketeers.lit/gate"), Jid.Parse(@"d\27artagnan@musketeers.lit"),
            StanzaType.Chat, "And do you always forget your eyes when you run?", "m1");

        // XEP-0106's "JID Escaping" example, plus an id.
        XmlAssert.AreEqual("""
            <message xmlns='jabber:component:accept'
                from='porthos@musketeers.lit/gate'
                to='d\27artagnan@musketeers.lit'
                type='chat'
                id='m1'>
              <body>And do you always forget your eyes when you run?</body>
            </message>
            """, message);
    }

    [Test]
    public void Message_WithoutOptionalParts_IsEmpty()
    {
        XmlAssert.AreEqual("<message xmlns='jabber:component:accept'/>", Stanza.Message(null, null));
    }

    [Test]
    public void Presence_Unavailable()
    {
        var presence = Stanza.Presence(Jid.Parse("hag66@shakespeare.example/pda"), Jid.Parse("coven@mix.shakespeare.example"), StanzaType.Unavailable);

        // The MIX seed's "User Goes Offline in the Conversation".
        XmlAssert.AreEqual("""
            <presence xmlns='jabber:component:accept' type='unavailable'
                from='hag66@shakespeare.example/pda'
                to='coven@mix.shakespeare.example'/>
            """, presence);
    }

    [Test]
    public void Presence_Available_HasNoType()
    {
        var presence = Stanza.Presence(null, Jid.Parse("coven@mix.example/nick"));

        Assert.Multiple(() =>
        {
            Assert.That(presence.GetStanzaType(), Is.Null);
            Assert.That(presence.GetKind(), Is.EqualTo(StanzaKind.Presence));
            Assert.That(presence.GetTo(), Is.EqualTo(Jid.Parse("coven@mix.example/nick")));
        });
    }

    [Test]
    public void NewId_IsShortUrlSafeAndUnique()
    {
        var ids = new HashSet<string>();
        for (int i = 0; i < 20_000; i++)
            ids.Add(Stanza.NewId());

        Assert.Multiple(() =>
        {
            Assert.That(ids, Has.Count.EqualTo(20_000));
            Assert.That(ids, Has.All.Length.EqualTo(12));
            Assert.That(ids.All(id => id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')), Is.True);
        });
    }

    [Test]
    public void NewId_IsUniqueAcrossThreads()
    {
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 8, _ =>
        {
            for (int i = 0; i < 2_000; i++)
                ids.Add(Stanza.NewId());
        });

        Assert.That(ids.Distinct().Count(), Is.EqualTo(16_000));
    }
}
