using System.Xml.Linq;
using NUnit.Framework;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Xmpp;

[TestFixture]
public class DelayTests
{
    private static readonly DateTimeOffset OfflineStamp = new(2002, 9, 10, 23, 8, 25, TimeSpan.Zero);

    [Test]
    public void ToElement_WithFromAndText()
    {
        var delay = new Delay(OfflineStamp, "capulet.com", "Offline Storage");

        XmlAssert.AreEqual("""
            <delay xmlns='urn:xmpp:delay' from='capulet.com' stamp='2002-09-10T23:08:25Z'>Offline Storage</delay>
            """, delay.ToElement());
    }

    [Test]
    public void ToElement_StampOnly()
    {
        XmlAssert.AreEqual("<delay xmlns='urn:xmpp:delay' stamp='2002-09-10T23:08:25.250Z'/>",
            new Delay(OfflineStamp.AddMilliseconds(250)).ToElement());
    }

    [Test]
    public void FromStanza_OfflineMessageExample()
    {
        // XEP-0203 "Receiving a Message Sent While Offline".
        var message = XElement.Parse("""
            <message xmlns='jabber:client' from='romeo@montague.net/orchard' to='juliet@capulet.com' type='chat'>
              <body>O blessed, blessed night! I am afeard.</body>
              <delay xmlns='urn:xmpp:delay'
                 from='capulet.com'
                 stamp='2002-09-10T23:08:25Z'>
                Offline Storage
              </delay>
            </message>
            """);

        Assert.That(Delay.FromStanza(message), Is.EqualTo(new Delay(OfflineStamp, "capulet.com", "Offline Storage")));
    }

    [Test]
    public void FromStanza_DmucReplicaHistory()
    {
        // The DMUC seed's "Replica Sends Discussion History to New Occupant".
        var message = XElement.Parse("""
            <message xmlns='jabber:component:accept' from='wallops@channel.avalon.irc/Trillian'
                to='rubenro@vesa.yeggmaex.irc/shaver'
                type='groupchat'>
              <body>Honest! He did!!</body>
              <delay xmlns='urn:xmpp:delay'
                from='wallops@channel.avalon.irc/Trillian'
                stamp='1990-01-23T19:50:01Z'/>
            </message>
            """);

        var delay = Delay.FromStanza(message)!;

        Assert.Multiple(() =>
        {
            Assert.That(delay.Stamp, Is.EqualTo(new DateTimeOffset(1990, 1, 23, 19, 50, 1, TimeSpan.Zero)));
            Assert.That(delay.From, Is.EqualTo("wallops@channel.avalon.irc/Trillian"));
            Assert.That(delay.Text, Is.Null);
        });
    }

    [Test]
    public void FromStanza_DelayInsideDmucWrapper()
    {
        // The DMUC seed's "Message from Primary to all Replicas": the delay sits inside the dmuc <x/>.
        var message = XElement.Parse("""
            <message xmlns='jabber:component:accept'
                from='wallops@channel.avalon.irc/BigCheese'
                to='replica@killrc.oulubox.irc'
                type='groupchat'>
              <body>Phaedrus, we're all having a truly rotten time.</body>
              <x xmlns='urn:xmpp:tmp:dmuc:0'>
                <delay xmlns='urn:xmpp:delay'
                  from='wallops@channel.avalon.irc/BigCheese'
                  stamp='1990-10-13T23:58:37Z'/>
              </x>
            </message>
            """);
        var wrapper = message.Element(Ns.Dmuc + "x")!;

        Assert.Multiple(() =>
        {
            Assert.That(Delay.FromStanza(message), Is.Null, "the delay is not a direct child of the message");
            Assert.That(Delay.FromStanza(wrapper),
                Is.EqualTo(new Delay(new DateTimeOffset(1990, 10, 13, 23, 58, 37, TimeSpan.Zero), "wallops@channel.avalon.irc/BigCheese")));
        });
    }

    [Test]
    public void FromStanza_WithoutDelay_IsNull()
    {
        Assert.That(Delay.FromStanza(Stanza.Message(null, null, body: "now")), Is.Null);
    }

    [Test]
    public void FromStanza_MalformedStamp_Throws()
    {
        var presence = new XElement(Ns.Component + "presence",
            new XElement(Ns.Delay + "delay", new XAttribute("stamp", "yesterday")));

        Assert.That(() => Delay.FromStanza(presence), Throws.TypeOf<FormatException>().With.Message.Contains("yesterday"));
    }

    [Test]
    public void Parse_MissingStamp_Throws()
    {
        Assert.That(() => Delay.Parse(new XElement(Ns.Delay + "delay")),
            Throws.TypeOf<FormatException>().With.Message.Contains("stamp"));
    }

    [Test]
    public void Parse_WrongElement_Throws()
    {
        // The legacy XEP-0091 element is a different namespace.
        var legacy = XElement.Parse("<x xmlns='jabber:x:delay' stamp='20020910T23:08:25'/>");

        Assert.That(() => Delay.Parse(legacy), Throws.TypeOf<FormatException>().With.Message.Contains("Expected <delay"));
    }

    [Test]
    public void Parse_RoundTripsToElement()
    {
        var delay = new Delay(OfflineStamp.AddMilliseconds(5), "coven@macbeth.shakespeare.lit", "Cached");

        Assert.That(Delay.Parse(delay.ToElement()), Is.EqualTo(delay));
    }

    [Test]
    public void AddedToAStanza_IsFoundAgain()
    {
        var message = Stanza.Message(Jid.Parse("coven@mix.example/witch"), Jid.Parse("hecate@shakespeare.example"), StanzaType.Groupchat, "hi");
        message.Add(new Delay(OfflineStamp, "coven@mix.example").ToElement());

        Assert.That(Delay.FromStanza(message)?.Stamp, Is.EqualTo(OfflineStamp));
    }
}
