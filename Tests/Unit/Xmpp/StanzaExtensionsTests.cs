using System.Xml.Linq;
using NUnit.Framework;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Xmpp;

[TestFixture]
public class StanzaExtensionsTests
{
    // The MIX seed's "User Joins a Conversation" request. The seed closes <join> with </pubsub>, which is
    // not well-formed, so the closing tag is corrected here.
    private const string MixJoin = """
        <iq xmlns='jabber:component:accept'
            type='set'
            from='hag66@shakespeare.example'
            to='coven@mix.shakespeare.example'
            id='E6E10350-76CF-40C6-B91B-1EA08C332FC7'>
          <join xmlns='urn:xmpp:mix:0'>
            <subscribe node='urn:xmpp:mix:nodes:messages'/>
            <subscribe node='urn:xmpp:mix:nodes:presence'/>
            <subscribe node='urn:xmpp:mix:nodes:participants'/>
            <subscribe node='urn:xmpp:mix:nodes:subject'/>
            <subscribe node='urn:xmpp:mix:nodes:config'/>
          </join>
        </iq>
        """;

    [TestCase("jabber:component:accept", "message", StanzaKind.Message)]
    [TestCase("jabber:component:accept", "presence", StanzaKind.Presence)]
    [TestCase("jabber:component:accept", "iq", StanzaKind.Iq)]
    [TestCase("jabber:client", "message", StanzaKind.Message)]
    [TestCase("jabber:client", "presence", StanzaKind.Presence)]
    [TestCase("jabber:client", "iq", StanzaKind.Iq)]
    [TestCase("jabber:component:accept", "handshake", StanzaKind.Other)]
    [TestCase("http://etherx.jabber.org/streams", "features", StanzaKind.Other)]
    [TestCase("urn:example", "iq", StanzaKind.Other)]
    [TestCase("", "message", StanzaKind.Other)]
    public void GetKind_ChecksNamespaceAndName(string ns, string name, StanzaKind kind)
    {
        Assert.That(new XElement(XNamespace.Get(ns) + name).GetKind(), Is.EqualTo(kind));
    }

    [Test]
    public void Readers_OnMixJoinSeed()
    {
        var iq = XElement.Parse(MixJoin);

        Assert.Multiple(() =>
        {
            Assert.That(iq.GetKind(), Is.EqualTo(StanzaKind.Iq));
            Assert.That(iq.GetId(), Is.EqualTo("E6E10350-76CF-40C6-B91B-1EA08C332FC7"));
            Assert.That(iq.GetStanzaType(), Is.EqualTo("set"));
            Assert.That(iq.GetFrom(), Is.EqualTo(Jid.Parse("hag66@shakespeare.example")));
            Assert.That(iq.GetTo(), Is.EqualTo(Jid.Parse("coven@mix.shakespeare.example")));
            Assert.That(iq.IsRequest(), Is.True);
            Assert.That(iq.IsResponse(), Is.False);
            Assert.That(iq.IsErrorType(), Is.False);
            Assert.That(iq.GetPayload()?.Name, Is.EqualTo(Ns.Mix0 + "join"));
            Assert.That(iq.GetPayload()!.Elements(Ns.Mix0 + "subscribe").Count(), Is.EqualTo(5));
        });
    }

    [Test]
    public void Readers_AbsentAttributes_AreNull()
    {
        var presence = XElement.Parse("<presence xmlns='jabber:client'/>");

        Assert.Multiple(() =>
        {
            Assert.That(presence.GetId(), Is.Null);
            Assert.That(presence.GetStanzaType(), Is.Null);
            Assert.That(presence.GetFrom(), Is.Null);
            Assert.That(presence.GetTo(), Is.Null);
            Assert.That(presence.TryGetFrom(out var from), Is.False);
            Assert.That(from, Is.Null);
            Assert.That(presence.TryGetTo(out var to), Is.False);
            Assert.That(to, Is.Null);
        });
    }

    [Test]
    public void GetFromAndTo_Malformed_Throw()
    {
        var message = XElement.Parse("<message xmlns='jabber:component:accept' from='a@b@c' to='@nowhere'/>");

        Assert.Multiple(() =>
        {
            Assert.That(() => message.GetFrom(), Throws.TypeOf<JidFormatException>());
            Assert.That(() => message.GetTo(), Throws.TypeOf<JidFormatException>());
            Assert.That(message.TryGetFrom(out var from), Is.False);
            Assert.That(from, Is.Null);
            Assert.That(message.TryGetTo(out _), Is.False);
        });
    }

    [Test]
    public void TryGetFromAndTo_Valid_ReturnJids()
    {
        var message = XElement.Parse(@"<message xmlns='jabber:component:accept' from='kev@remote.example.com/Swift' to='jabberchat\40talk.example.com@mirror.remote.example.com'/>");

        Assert.Multiple(() =>
        {
            Assert.That(message.TryGetFrom(out var from), Is.True);
            Assert.That(from, Is.EqualTo(Jid.Parse("kev@remote.example.com/Swift")));
            Assert.That(message.TryGetTo(out var to), Is.True);
            Assert.That(to!.Local, Is.EqualTo(@"jabberchat\40talk.example.com"));
        });
    }

    [TestCase("iq", "get", true, false, false)]
    [TestCase("iq", "set", true, false, false)]
    [TestCase("iq", "result", false, true, false)]
    [TestCase("iq", "error", false, true, true)]
    [TestCase("iq", null, false, false, false)]
    [TestCase("message", "error", false, false, true)]
    [TestCase("message", "get", false, false, false)]
    [TestCase("presence", "error", false, false, true)]
    [TestCase("presence", null, false, false, false)]
    public void RequestResponseAndErrorClassification(string name, string? type, bool request, bool response, bool error)
    {
        var stanza = new XElement(Ns.Component + name);
        if (type is not null)
            stanza.SetAttributeValue("type", type);

        Assert.Multiple(() =>
        {
            Assert.That(stanza.IsRequest(), Is.EqualTo(request));
            Assert.That(stanza.IsResponse(), Is.EqualTo(response));
            Assert.That(stanza.IsErrorType(), Is.EqualTo(error));
        });
    }

    [Test]
    public void GetPayload_SkipsErrorElementOfAnErrorResponse()
    {
        var withCopy = XElement.Parse("""
            <iq xmlns='jabber:component:accept' type='error' id='1'>
              <error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>
              <query xmlns='http://jabber.org/protocol/disco#info'/>
            </iq>
            """);
        var bare = XElement.Parse("""
            <iq xmlns='jabber:component:accept' type='error' id='1'>
              <error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>
            </iq>
            """);

        Assert.Multiple(() =>
        {
            Assert.That(withCopy.GetPayload()?.Name, Is.EqualTo(Ns.DiscoInfo + "query"));
            Assert.That(bare.GetPayload(), Is.Null);
            Assert.That(Stanza.Iq("result", null, null, null).GetPayload(), Is.Null);
        });
    }

    [Test]
    public void GetPayload_OfNonIq_IsNull()
    {
        var message = Stanza.Message(null, null, body: "hello");

        Assert.That(message.GetPayload(), Is.Null);
    }

    [Test]
    public void ErrorReply_ToMixJoin_KeepsPayloadAndSwapsAddresses()
    {
        var reply = XElement.Parse(MixJoin).ErrorReply(StanzaError.Of(StanzaErrorCondition.Conflict));

        XmlAssert.AreEqual("""
            <iq xmlns='jabber:component:accept'
                type='error'
                from='coven@mix.shakespeare.example'
                to='hag66@shakespeare.example'
                id='E6E10350-76CF-40C6-B91B-1EA08C332FC7'>
              <join xmlns='urn:xmpp:mix:0'>
                <subscribe node='urn:xmpp:mix:nodes:messages'/>
                <subscribe node='urn:xmpp:mix:nodes:presence'/>
                <subscribe node='urn:xmpp:mix:nodes:participants'/>
                <subscribe node='urn:xmpp:mix:nodes:subject'/>
                <subscribe node='urn:xmpp:mix:nodes:config'/>
              </join>
              <error type='cancel'>
                <conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>
              </error>
            </iq>
            """, reply);
    }

    [Test]
    public void ErrorReply_ToMixRegister_MatchesSeedNickTakenShape()
    {
        // The seed's example leaves 'to' and 'from' as in the request; a reply must go back to the requester.
        var register = XElement.Parse("""
            <iq xmlns='jabber:component:accept' type='set' from='hag66@shakespeare.example/pda' to='mix.shakespeare.example' id='7nve413p'>
              <register xmlns='urn:xmpp:mix:0'><nick>thirdwitch</nick></register>
            </iq>
            """);

        var reply = register.ErrorReply(StanzaError.Of(StanzaErrorCondition.Conflict));

        XmlAssert.AreEqual("""
            <iq xmlns='jabber:component:accept' type='error' to='hag66@shakespeare.example/pda' from='mix.shakespeare.example' id='7nve413p'>
              <register xmlns='urn:xmpp:mix:0'><nick>thirdwitch</nick></register>
              <error type='cancel'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>
            </iq>
            """, reply);
    }

    [Test]
    public void ErrorReply_ToFmucJoinPresence_KeepsMucElement()
    {
        var join = XElement.Parse(@"
            <presence xmlns='jabber:component:accept'
                from='jabberchat\40talk.example.com@mirror.remote.example.com/Kev'
                to='jabberchat@talk.example.com'>
              <x xmlns='http://jabber.org/protocol/muc'/>
            </presence>");

        var reply = join.ErrorReply(StanzaError.Of(StanzaErrorCondition.RegistrationRequired));

        XmlAssert.AreEqual(@"
            <presence xmlns='jabber:component:accept'
                from='jabberchat@talk.example.com'
                to='jabberchat\40talk.example.com@mirror.remote.example.com/Kev'
                type='error'>
              <x xmlns='http://jabber.org/protocol/muc'/>
              <error type='auth'>
                <registration-required xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>
              </error>
            </presence>", reply);
    }

    [Test]
    public void ErrorReply_ToMessage_DropsBody()
    {
        var message = XElement.Parse(@"
            <message xmlns='jabber:component:accept'
                from='jabberchat\40talk.example.com@mirror.remote.example.com/Kev'
                to='jabberchat@talk.example.com'
                id='m1'
                type='groupchat'>
              <body>[[Unclassified]] It's getting warm in here.</body>
              <nomirror xmlns='http://isode.com/protocol/fmuc'/>
            </message>");

        var reply = message.ErrorReply(StanzaError.Of(StanzaErrorCondition.Forbidden, "Not an occupant"));

        XmlAssert.AreEqual(@"
            <message xmlns='jabber:component:accept'
                from='jabberchat@talk.example.com'
                to='jabberchat\40talk.example.com@mirror.remote.example.com/Kev'
                id='m1'
                type='error'>
              <nomirror xmlns='http://isode.com/protocol/fmuc'/>
              <error type='auth'>
                <forbidden xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>
                <text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' xml:lang='en'>Not an occupant</text>
              </error>
            </message>", reply);
    }

    [Test]
    public void ErrorReply_ToClientNamespaceStanza_StaysInClientNamespace()
    {
        var iq = XElement.Parse("<iq xmlns='jabber:client' type='get' id='p1' from='a@b/c' to='d'><ping xmlns='urn:xmpp:ping'/></iq>");

        var reply = iq.ErrorReply(StanzaError.Of(StanzaErrorCondition.ServiceUnavailable));

        Assert.Multiple(() =>
        {
            Assert.That(reply.Name, Is.EqualTo(Ns.Client + "iq"));
            Assert.That(reply.Element(Ns.Client + "error"), Is.Not.Null);
            Assert.That(StanzaError.FromStanza(reply)?.Condition, Is.EqualTo(StanzaErrorCondition.ServiceUnavailable));
        });
    }

    [Test]
    public void ErrorReply_WithoutAddressesOrId_OmitsThem()
    {
        var reply = XElement.Parse("<message xmlns='jabber:component:accept'><body>x</body></message>")
            .ErrorReply(StanzaError.Of(StanzaErrorCondition.BadRequest));

        XmlAssert.AreEqual("""
            <message xmlns='jabber:component:accept' type='error'>
              <error type='modify'><bad-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>
            </message>
            """, reply);
    }

    [Test]
    public void ErrorReply_LeavesOriginalUntouched()
    {
        var iq = XElement.Parse(MixJoin);
        var before = iq.ToString();

        iq.ErrorReply(StanzaError.Of(StanzaErrorCondition.Conflict));

        Assert.That(iq.ToString(), Is.EqualTo(before));
    }

    [Test]
    public void ErrorReply_ToAnError_Throws()
    {
        var error = XElement.Parse("""
            <presence xmlns='jabber:component:accept' type='error'>
              <error type='auth'><registration-required xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>
            </presence>
            """);

        Assert.That(() => error.ErrorReply(StanzaError.Of(StanzaErrorCondition.BadRequest)),
            Throws.InvalidOperationException.With.Message.Contains("error"));
    }

    [Test]
    public void ErrorReply_ToIqResult_Throws()
    {
        var result = Stanza.Iq("result", null, null, null, "r1");

        Assert.That(() => result.ErrorReply(StanzaError.Of(StanzaErrorCondition.BadRequest)), Throws.InvalidOperationException);
    }

    [Test]
    public void ErrorReply_ToNonStanza_Throws()
    {
        var notAStanza = new XElement(Ns.Component + "handshake");

        Assert.That(() => notAStanza.ErrorReply(StanzaError.Of(StanzaErrorCondition.BadRequest)), Throws.InvalidOperationException);
    }

    [Test]
    public void ErrorReply_NullError_Throws()
    {
        Assert.That(() => XElement.Parse(MixJoin).ErrorReply(null!), Throws.ArgumentNullException);
    }

    [Test]
    public void ResultReply_ToMixJoin_MatchesSeedResult()
    {
        var join = XElement.Parse(MixJoin);
        var payload = new XElement(join.GetPayload()!);
        payload.SetAttributeValue("jid", "hag66@shakespeare.example");

        var reply = join.ResultReply(payload);

        // The MIX seed's "Conversation Successfully Processes Join" (closing tag corrected likewise).
        XmlAssert.AreEqual("""
            <iq xmlns='jabber:component:accept'
                type='result'
                from='coven@mix.shakespeare.example'
                to='hag66@shakespeare.example'
                id='E6E10350-76CF-40C6-B91B-1EA08C332FC7'>
              <join xmlns='urn:xmpp:mix:0' jid='hag66@shakespeare.example'>
                <subscribe node='urn:xmpp:mix:nodes:messages'/>
                <subscribe node='urn:xmpp:mix:nodes:presence'/>
                <subscribe node='urn:xmpp:mix:nodes:participants'/>
                <subscribe node='urn:xmpp:mix:nodes:subject'/>
                <subscribe node='urn:xmpp:mix:nodes:config'/>
              </join>
            </iq>
            """, reply);
    }

    [Test]
    public void ResultReply_WithoutPayload_IsEmptyResult()
    {
        var ping = XElement.Parse("<iq xmlns='jabber:component:accept' type='get' id='p1' from='a@b/c' to='mix.example'><ping xmlns='urn:xmpp:ping'/></iq>");

        XmlAssert.AreEqual("<iq xmlns='jabber:component:accept' type='result' id='p1' from='mix.example' to='a@b/c'/>", ping.ResultReply());
    }

    [Test]
    public void ResultReply_PayloadThatHasAParent_IsCopied()
    {
        var iq = XElement.Parse(MixJoin);
        var payload = iq.GetPayload()!;

        var reply = iq.ResultReply(payload);

        Assert.Multiple(() =>
        {
            Assert.That(payload.Parent, Is.SameAs(iq));
            Assert.That(reply.GetPayload(), Is.Not.SameAs(payload));
        });
    }

    [TestCase("<iq xmlns='jabber:component:accept' type='result' id='1'/>")]
    [TestCase("<iq xmlns='jabber:component:accept' type='error' id='1'/>")]
    [TestCase("<message xmlns='jabber:component:accept' type='chat' id='1'/>")]
    [TestCase("<iq xmlns='jabber:component:accept' type='get'/>")]
    public void ResultReply_ToNonRequestOrWithoutId_Throws(string xml)
    {
        Assert.That(() => XElement.Parse(xml).ResultReply(), Throws.InvalidOperationException);
    }
}
