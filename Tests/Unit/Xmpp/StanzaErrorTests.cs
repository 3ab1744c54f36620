using System.Xml.Linq;
using NUnit.Framework;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Xmpp;

[TestFixture]
public class StanzaErrorTests
{
    [Test]
    public void EveryCondition_HasAWireNameThatParsesBack()
    {
        var conditions = Enum.GetValues<StanzaErrorCondition>();

        Assert.That(conditions, Has.Length.EqualTo(22));
        Assert.Multiple(() =>
        {
            foreach (var condition in conditions)
            {
                Assert.That(StanzaErrorNames.TryParseCondition(condition.ToXmlName(), out var parsed), Is.True, condition.ToString());
                Assert.That(parsed, Is.EqualTo(condition));
            }
        });
    }

    [TestCase(StanzaErrorCondition.BadRequest, "bad-request")]
    [TestCase(StanzaErrorCondition.FeatureNotImplemented, "feature-not-implemented")]
    [TestCase(StanzaErrorCondition.InternalServerError, "internal-server-error")]
    [TestCase(StanzaErrorCondition.JidMalformed, "jid-malformed")]
    [TestCase(StanzaErrorCondition.RemoteServerNotFound, "remote-server-not-found")]
    [TestCase(StanzaErrorCondition.UnexpectedRequest, "unexpected-request")]
    public void ToXmlName_UsesRfc6120Names(StanzaErrorCondition condition, string name)
    {
        Assert.That(condition.ToXmlName(), Is.EqualTo(name));
    }

    [TestCase(StanzaErrorType.Auth, "auth")]
    [TestCase(StanzaErrorType.Cancel, "cancel")]
    [TestCase(StanzaErrorType.Continue, "continue")]
    [TestCase(StanzaErrorType.Modify, "modify")]
    [TestCase(StanzaErrorType.Wait, "wait")]
    public void Types_MapBothWays(StanzaErrorType type, string name)
    {
        Assert.Multiple(() =>
        {
            Assert.That(type.ToXmlName(), Is.EqualTo(name));
            Assert.That(StanzaErrorNames.TryParseType(name, out var parsed), Is.True);
            Assert.That(parsed, Is.EqualTo(type));
        });
    }

    [Test]
    public void UnknownNames_DoNotParse()
    {
        Assert.Multiple(() =>
        {
            Assert.That(StanzaErrorNames.TryParseCondition("no-such-condition", out var condition), Is.False);
            Assert.That(condition, Is.EqualTo(StanzaErrorCondition.UndefinedCondition));
            Assert.That(StanzaErrorNames.TryParseCondition(null, out _), Is.False);
            Assert.That(StanzaErrorNames.TryParseType("Cancel", out _), Is.False);
            Assert.That(() => ((StanzaErrorCondition)99).ToXmlName(), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => ((StanzaErrorType)99).ToXmlName(), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }

    [TestCase(StanzaErrorCondition.BadRequest, StanzaErrorType.Modify)]
    [TestCase(StanzaErrorCondition.Conflict, StanzaErrorType.Cancel)]
    [TestCase(StanzaErrorCondition.FeatureNotImplemented, StanzaErrorType.Cancel)]
    [TestCase(StanzaErrorCondition.Forbidden, StanzaErrorType.Auth)]
    [TestCase(StanzaErrorCondition.Gone, StanzaErrorType.Cancel)]
    [TestCase(StanzaErrorCondition.InternalServerError, StanzaErrorType.Cancel)]
    [TestCase(StanzaErrorCondition.ItemNotFound, StanzaErrorType.Cancel)]
    [TestCase(StanzaErrorCondition.JidMalformed, StanzaErrorType.Modify)]
    [TestCase(StanzaErrorCondition.NotAcceptable, StanzaErrorType.Modify)]
    [TestCase(StanzaErrorCondition.NotAllowed, StanzaErrorType.Cancel)]
    [TestCase(StanzaErrorCondition.NotAuthorized, StanzaErrorType.Auth)]
    [TestCase(StanzaErrorCondition.PolicyViolation, StanzaErrorType.Modify)]
    [TestCase(StanzaErrorCondition.RecipientUnavailable, StanzaErrorType.Wait)]
    [TestCase(StanzaErrorCondition.Redirect, StanzaErrorType.Modify)]
    [TestCase(StanzaErrorCondition.RegistrationRequired, StanzaErrorType.Auth)]
    [TestCase(StanzaErrorCondition.RemoteServerNotFound, StanzaErrorType.Cancel)]
    [TestCase(StanzaErrorCondition.RemoteServerTimeout, StanzaErrorType.Wait)]
    [TestCase(StanzaErrorCondition.ResourceConstraint, StanzaErrorType.Wait)]
    [TestCase(StanzaErrorCondition.ServiceUnavailable, StanzaErrorType.Cancel)]
    [TestCase(StanzaErrorCondition.SubscriptionRequired, StanzaErrorType.Auth)]
    [TestCase(StanzaErrorCondition.UndefinedCondition, StanzaErrorType.Cancel)]
    [TestCase(StanzaErrorCondition.UnexpectedRequest, StanzaErrorType.Wait)]
    public void Of_UsesCustomaryType(StanzaErrorCondition condition, StanzaErrorType type)
    {
        var error = StanzaError.Of(condition, "why");

        Assert.Multiple(() =>
        {
            Assert.That(error.Type, Is.EqualTo(type));
            Assert.That(error.Condition, Is.EqualTo(condition));
            Assert.That(error.Text, Is.EqualTo("why"));
            Assert.That(error.By, Is.Null);
            Assert.That(condition.DefaultType(), Is.EqualTo(type));
        });
    }

    [Test]
    public void ToElement_WritesConditionAndText()
    {
        var error = new StanzaError(StanzaErrorType.Modify, StanzaErrorCondition.BadRequest, "Missing nick", "mix.shakespeare.example");

        XmlAssert.AreEqual("""
            <error xmlns='jabber:component:accept' type='modify' by='mix.shakespeare.example'>
              <bad-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>
              <text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' xml:lang='en'>Missing nick</text>
            </error>
            """, error.ToElement());
    }

    [Test]
    public void ToElement_WithoutText_HasOnlyTheCondition()
    {
        XmlAssert.AreEqual("""
            <error xmlns='jabber:component:accept' type='cancel'>
              <conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>
            </error>
            """, StanzaError.Of(StanzaErrorCondition.Conflict).ToElement());
    }

    [Test]
    public void ToElement_InClientNamespace()
    {
        var element = StanzaError.Of(StanzaErrorCondition.ItemNotFound).ToElement(Ns.Client);

        Assert.That(element.Name, Is.EqualTo(Ns.Client + "error"));
    }

    [Test]
    public void ToElement_WritesAlternateAddressAndApplicationCondition()
    {
        var error = StanzaError.Of(StanzaErrorCondition.Gone) with
        {
            ConditionText = "xmpp:romeo@afterlife.example.net",
            ApplicationCondition = new XElement(XNamespace.Get("urn:example:app") + "too-late"),
        };

        XmlAssert.AreEqual("""
            <error xmlns='jabber:component:accept' type='cancel'>
              <gone xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>xmpp:romeo@afterlife.example.net</gone>
              <too-late xmlns='urn:example:app'/>
            </error>
            """, error.ToElement());
    }

    [Test]
    public void Parse_MixNickTakenError()
    {
        // From the MIX seed's "Nick is Taken" example.
        var error = StanzaError.Parse(XElement.Parse("""
            <error xmlns='jabber:component:accept' type='cancel'>
              <conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>
            </error>
            """));

        Assert.That(error, Is.EqualTo(new StanzaError(StanzaErrorType.Cancel, StanzaErrorCondition.Conflict)));
    }

    [Test]
    public void Parse_ReadsTextByAndConditionText()
    {
        var error = StanzaError.Parse(XElement.Parse("""
            <error xmlns='jabber:client' type='modify' by='muc.example'>
              <redirect xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>xmpp:other@muc.example</redirect>
              <text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' xml:lang='en'>Moved</text>
              <moved xmlns='urn:example:app'/>
            </error>
            """))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Type, Is.EqualTo(StanzaErrorType.Modify));
            Assert.That(error.Condition, Is.EqualTo(StanzaErrorCondition.Redirect));
            Assert.That(error.ConditionText, Is.EqualTo("xmpp:other@muc.example"));
            Assert.That(error.Text, Is.EqualTo("Moved"));
            Assert.That(error.By, Is.EqualTo("muc.example"));
            Assert.That(error.ApplicationCondition?.Name.LocalName, Is.EqualTo("moved"));
        });
    }

    [Test]
    public void Parse_UnknownCondition_IsUndefinedCondition()
    {
        var error = StanzaError.Parse(XElement.Parse("""
            <error xmlns='jabber:component:accept' type='wait'>
              <brand-new-condition xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>
            </error>
            """))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Condition, Is.EqualTo(StanzaErrorCondition.UndefinedCondition));
            Assert.That(error.Type, Is.EqualTo(StanzaErrorType.Wait));
        });
    }

    [Test]
    public void Parse_KnownConditionWinsOverAnUnknownOneBeforeIt()
    {
        var error = StanzaError.Parse(XElement.Parse("""
            <error xmlns='jabber:component:accept' type='cancel'>
              <brand-new-condition xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>
              <item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>
            </error>
            """))!;

        Assert.That(error.Condition, Is.EqualTo(StanzaErrorCondition.ItemNotFound));
    }

    [Test]
    public void Parse_MissingOrUnknownType_UsesCustomaryType()
    {
        var missing = StanzaError.Parse(XElement.Parse("""
            <error xmlns='jabber:component:accept'><forbidden xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>
            """))!;
        var unknown = StanzaError.Parse(XElement.Parse("""
            <error xmlns='jabber:component:accept' type='later'><resource-constraint xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>
            """))!;

        Assert.Multiple(() =>
        {
            Assert.That(missing.Type, Is.EqualTo(StanzaErrorType.Auth));
            Assert.That(unknown.Type, Is.EqualTo(StanzaErrorType.Wait));
        });
    }

    [Test]
    public void Parse_NoConditionAtAll_IsUndefinedCondition()
    {
        var error = StanzaError.Parse(XElement.Parse("<error xmlns='jabber:component:accept' code='500'/>"))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.Condition, Is.EqualTo(StanzaErrorCondition.UndefinedCondition));
            Assert.That(error.Type, Is.EqualTo(StanzaErrorType.Cancel));
        });
    }

    [Test]
    public void Parse_NotAnErrorElement_ReturnsNull()
    {
        Assert.That(StanzaError.Parse(new XElement(Ns.Component + "body")), Is.Null);
    }

    [Test]
    public void Parse_RoundTripsToElement()
    {
        var original = new StanzaError(StanzaErrorType.Wait, StanzaErrorCondition.ResourceConstraint, "Slow down", "mix.example");

        Assert.That(StanzaError.Parse(original.ToElement()), Is.EqualTo(original));
    }

    [Test]
    public void FromStanza_FmucRegistrationRequired()
    {
        // From the FMUC seed's "Master rejects joins" example.
        var presence = XElement.Parse("""
            <presence xmlns='jabber:component:accept'
                from='jabberchat@talk.example.com'
                to='jabberchat\40talk.example.com@mirror.remote.example.com/Kev'
                type='error'>
              <x xmlns='http://jabber.org/protocol/muc'/>
              <error type='auth'>
                <registration-required xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>
              </error>
            </presence>
            """);

        var error = StanzaError.FromStanza(presence);

        Assert.That(error, Is.EqualTo(new StanzaError(StanzaErrorType.Auth, StanzaErrorCondition.RegistrationRequired)));
    }

    [Test]
    public void FromStanza_ClientNamespaceIq()
    {
        var iq = XElement.Parse("""
            <iq xmlns='jabber:client' type='error' id='info1'>
              <query xmlns='http://jabber.org/protocol/disco#info'/>
              <error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>
            </iq>
            """);

        Assert.That(StanzaError.FromStanza(iq)?.Condition, Is.EqualTo(StanzaErrorCondition.ItemNotFound));
    }

    [Test]
    public void FromStanza_NonErrorStanza_ReturnsNull()
    {
        var message = Stanza.Message(Jid.Parse("a@b"), Jid.Parse("c@d"), "chat", "hi");

        Assert.That(StanzaError.FromStanza(message), Is.Null);
    }

    [Test]
    public void FromStanza_ErrorStanzaWithoutErrorChild_IsUndefinedCondition()
    {
        var iq = XElement.Parse("<iq xmlns='jabber:component:accept' type='error' id='x'/>");

        Assert.That(StanzaError.FromStanza(iq)?.Condition, Is.EqualTo(StanzaErrorCondition.UndefinedCondition));
    }

    [Test]
    public void Exception_CarriesTheError()
    {
        var error = StanzaError.Of(StanzaErrorCondition.NotAcceptable, "Nick changes are not allowed through a mirror");

        var exception = new StanzaErrorException(error);

        Assert.Multiple(() =>
        {
            Assert.That(exception.Error, Is.SameAs(error));
            Assert.That(exception.Message, Does.Contain("not-acceptable").And.Contain("modify").And.Contain("through a mirror"));
        });
    }

    [Test]
    public void Exception_FromCondition_UsesCustomaryType()
    {
        var exception = new StanzaErrorException(StanzaErrorCondition.Forbidden);

        Assert.Multiple(() =>
        {
            Assert.That(exception.Error, Is.EqualTo(new StanzaError(StanzaErrorType.Auth, StanzaErrorCondition.Forbidden)));
            Assert.That(exception.Message, Does.Contain("forbidden"));
        });
    }

    [Test]
    public void Exception_KeepsInnerException()
    {
        var inner = new InvalidOperationException("boom");

        var exception = new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.InternalServerError), inner);

        Assert.That(exception.InnerException, Is.SameAs(inner));
    }
}
