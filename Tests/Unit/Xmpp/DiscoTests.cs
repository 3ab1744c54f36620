using System.Xml.Linq;
using NUnit.Framework;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Xmpp;

[TestFixture]
public class DiscoTests
{
    [Test]
    public void DiscoInfo_Builder_MatchesXepResult()
    {
        var info = new DiscoInfo()
            .AddIdentity("conference", "text", "Play-Specific Chatrooms")
            .AddIdentity(new DiscoIdentity("directory", "chatroom", "Play-Specific Chatrooms"))
            .AddFeature("http://jabber.org/protocol/disco#info")
            .AddFeatures("http://jabber.org/protocol/disco#items", "http://jabber.org/protocol/muc", "jabber:iq:register")
            .AddFeatures("jabber:iq:search", "jabber:iq:time", "jabber:iq:version");

        // XEP-0030 "Result-set for information request".
        XmlAssert.AreEqual("""
            <query xmlns='http://jabber.org/protocol/disco#info'>
              <identity category='conference' type='text' name='Play-Specific Chatrooms'/>
              <identity category='directory' type='chatroom' name='Play-Specific Chatrooms'/>
              <feature var='http://jabber.org/protocol/disco#info'/>
              <feature var='http://jabber.org/protocol/disco#items'/>
              <feature var='http://jabber.org/protocol/muc'/>
              <feature var='jabber:iq:register'/>
              <feature var='jabber:iq:search'/>
              <feature var='jabber:iq:time'/>
              <feature var='jabber:iq:version'/>
            </query>
            """, info.ToElement());
    }

    [Test]
    public void DiscoInfo_Features_AreOrderedAndUnique()
    {
        var info = new DiscoInfo().AddFeature("b").AddFeature("a").AddFeature("b").AddFeatures("c", "a");

        Assert.Multiple(() =>
        {
            Assert.That(info.Features, Is.EqualTo(new[] { "b", "a", "c" }));
            Assert.That(info.HasFeature("a"), Is.True);
            Assert.That(info.HasFeature("d"), Is.False);
            Assert.That(() => info.AddFeature(""), Throws.ArgumentException);
        });
    }

    [Test]
    public void DiscoInfo_DuplicateIdentities_AreDropped()
    {
        var info = new DiscoInfo().AddIdentity("conference", "text").AddIdentity("conference", "text").AddIdentity("conference", "mix");

        Assert.That(info.Identities, Has.Count.EqualTo(2));
    }

    [Test]
    public void DiscoInfo_NodeAndExtension()
    {
        var form = new DataForm(DataFormType.Result) { FormType = "urn:xmpp:mix:0#serviceinfo" };
        form.Fields.Add(new DataFormField("urn:xmpp:mix:nodes:muc_mirror", label: "Location of MUC mirror service") { Value = "chat.shakespeare.example" });
        var info = new DiscoInfo("http://jabber.org/protocol/commands")
            .AddIdentity(new DiscoIdentity("automation", "command-list") { Lang = "en" })
            .AddExtension(form);

        XmlAssert.AreEqual("""
            <query xmlns='http://jabber.org/protocol/disco#info' node='http://jabber.org/protocol/commands'>
              <identity category='automation' type='command-list' xml:lang='en'/>
              <x xmlns='jabber:x:data' type='result'>
                <field var='FORM_TYPE' type='hidden'><value>urn:xmpp:mix:0#serviceinfo</value></field>
                <field var='urn:xmpp:mix:nodes:muc_mirror' label='Location of MUC mirror service'>
                  <value>chat.shakespeare.example</value>
                </field>
              </x>
            </query>
            """, info.ToElement());
    }

    [Test]
    public void DiscoInfo_Parse_MixServiceResult()
    {
        // The MIX seed's "Service responds with Disco Info result".
        var iq = XElement.Parse("""
            <iq xmlns='jabber:component:accept' from='mix.shakespeare.example' id='lx09df27' to='hag66@shakespeare.example/intibo24' type='result'>
              <query xmlns='http://jabber.org/protocol/disco#info'>
                <identity category='conference' name='Shakespearean Chat Service' type='text'/>
                <feature var='urn:xmpp:mix:0'/>
                <x xmlns='jabber:x:data' type='result'>
                  <field var='FORM_TYPE' type='hidden'>
                    <value>urn:xmpp:mix:0#serviceinfo</value>
                  </field>
                  <field var='urn:xmpp:mix:nodes:muc_mirror' label='Location of MUC mirror service'>
                    <value>chat.shakespeare.example</value>
                  </field>
                </x>
              </query>
            </iq>
            """);

        var info = DiscoInfo.Parse(iq.GetPayload()!);

        Assert.Multiple(() =>
        {
            Assert.That(info.Node, Is.Null);
            Assert.That(info.Identities, Is.EqualTo(new[] { new DiscoIdentity("conference", "text", "Shakespearean Chat Service") }));
            Assert.That(info.Features, Is.EqualTo(new[] { "urn:xmpp:mix:0" }));
            Assert.That(info.HasFeature("urn:xmpp:mix:0"), Is.True);
            Assert.That(info.Extensions, Has.Count.EqualTo(1));
            Assert.That(info.Extensions[0].FormType, Is.EqualTo("urn:xmpp:mix:0#serviceinfo"));
            Assert.That(info.Extensions[0].GetValue("urn:xmpp:mix:nodes:muc_mirror"), Is.EqualTo("chat.shakespeare.example"));
        });
        XmlAssert.AreEqual(iq.GetPayload()!, info.ToElement());
    }

    [Test]
    public void DiscoInfo_Parse_NodeAndLang_RoundTrip()
    {
        var query = XElement.Parse("""
            <query xmlns='http://jabber.org/protocol/disco#info' node='http://jabber.org/protocol/commands'>
              <identity category='automation' type='command-list' name='Befehle' xml:lang='de'/>
              <feature var='http://jabber.org/protocol/disco#info'/>
              <feature var='http://jabber.org/protocol/disco#info'/>
              <unknown xmlns='urn:example'/>
            </query>
            """);

        var info = DiscoInfo.Parse(query);

        Assert.Multiple(() =>
        {
            Assert.That(info.Node, Is.EqualTo("http://jabber.org/protocol/commands"));
            Assert.That(info.Identities[0].Lang, Is.EqualTo("de"));
            Assert.That(info.Features, Has.Count.EqualTo(1));
        });
    }

    [TestCase("<query xmlns='http://jabber.org/protocol/disco#items'/>", "Expected <query")]
    [TestCase("<query xmlns='http://jabber.org/protocol/disco#info'><identity category='conference'/></query>", "'type'")]
    [TestCase("<query xmlns='http://jabber.org/protocol/disco#info'><identity type='text'/></query>", "'category'")]
    [TestCase("<query xmlns='http://jabber.org/protocol/disco#info'><feature/></query>", "'var'")]
    [TestCase("<query xmlns='http://jabber.org/protocol/disco#info'><feature var=''/></query>", "'var'")]
    [TestCase("<query xmlns='http://jabber.org/protocol/disco#info'><x xmlns='jabber:x:data'/></query>", "'type'")]
    public void DiscoInfo_Parse_Malformed_Throws(string xml, string reason)
    {
        Assert.That(() => DiscoInfo.Parse(XElement.Parse(xml)), Throws.InstanceOf<FormatException>().With.Message.Contains(reason));
    }

    [Test]
    public void DiscoItems_Builder_MatchesMixNodeList()
    {
        var room = Jid.Parse("coven@mix.shakespeare.example");
        var items = new DiscoItems();
        foreach (var node in new[] { "presence", "participants", "messages", "subject", "config" })
            items.AddItem(room, node: "urn:xmpp:mix:nodes:" + node);

        // The MIX seed's "Room Returns Disco Items Result".
        XmlAssert.AreEqual("""
            <query xmlns='http://jabber.org/protocol/disco#items'>
              <item jid='coven@mix.shakespeare.example' node='urn:xmpp:mix:nodes:presence'/>
              <item jid='coven@mix.shakespeare.example' node='urn:xmpp:mix:nodes:participants'/>
              <item jid='coven@mix.shakespeare.example' node='urn:xmpp:mix:nodes:messages'/>
              <item jid='coven@mix.shakespeare.example' node='urn:xmpp:mix:nodes:subject'/>
              <item jid='coven@mix.shakespeare.example' node='urn:xmpp:mix:nodes:config'/>
            </query>
            """, items.ToElement());
    }

    [Test]
    public void DiscoItems_Parse_XepItemsWithNames()
    {
        // Part of XEP-0030 "Result-set for all items".
        var query = XElement.Parse("""
            <query xmlns='http://jabber.org/protocol/disco#items'>
              <item jid='people.shakespeare.lit' name='Directory of Characters'/>
              <item jid='plays.shakespeare.lit' name='Play-Specific Chatrooms'/>
            </query>
            """);

        var items = DiscoItems.Parse(query);

        Assert.Multiple(() =>
        {
            Assert.That(items.Items, Is.EqualTo(new[]
            {
                new DiscoItem(Jid.Parse("people.shakespeare.lit"), "Directory of Characters"),
                new DiscoItem(Jid.Parse("plays.shakespeare.lit"), "Play-Specific Chatrooms"),
            }));
            Assert.That(items.ResultSet, Is.Null);
            Assert.That(items.Node, Is.Null);
        });
        XmlAssert.AreEqual(query, items.ToElement());
    }

    [Test]
    public void DiscoItems_WithResultSet_RoundTrips()
    {
        // Shape of XEP-0059 "Returning a Limited Result Set" for disco#items (two items shown).
        var query = XElement.Parse("""
            <query xmlns='http://jabber.org/protocol/disco#items'>
              <item jid='12@conference.jabber.org'/>
              <item jid='adium@conference.jabber.org'/>
              <set xmlns='http://jabber.org/protocol/rsm'>
                <first index='0'>acc3594e844c77696f7a7ba9367ae324b6b958ad</first>
                <last>4da91d4b330112f683dddaebf93180b1bd25e95f</last>
                <count>150</count>
              </set>
            </query>
            """);

        var items = DiscoItems.Parse(query);

        Assert.Multiple(() =>
        {
            Assert.That(items.Items, Has.Count.EqualTo(2));
            Assert.That(items.ResultSet, Is.EqualTo(new ResultSetResponse(
                "acc3594e844c77696f7a7ba9367ae324b6b958ad", 0, "4da91d4b330112f683dddaebf93180b1bd25e95f", 150)));
        });
        XmlAssert.AreEqual(query, items.ToElement());
    }

    [Test]
    public void DiscoItems_EmptyWithNode()
    {
        var items = new DiscoItems("urn:xmpp:mix:nodes");

        XmlAssert.AreEqual("<query xmlns='http://jabber.org/protocol/disco#items' node='urn:xmpp:mix:nodes'/>", items.ToElement());
        Assert.That(DiscoItems.Parse(items.ToElement()).Node, Is.EqualTo("urn:xmpp:mix:nodes"));
    }

    [TestCase("<query xmlns='http://jabber.org/protocol/disco#info'/>", "Expected <query")]
    [TestCase("<query xmlns='http://jabber.org/protocol/disco#items'><item name='x'/></query>", "no 'jid'")]
    [TestCase("<query xmlns='http://jabber.org/protocol/disco#items'><item jid='a@@b'/></query>", "Invalid JID")]
    [TestCase("<query xmlns='http://jabber.org/protocol/disco#items'><set xmlns='http://jabber.org/protocol/rsm'><count>x</count></set></query>", "<count/>")]
    public void DiscoItems_Parse_Malformed_Throws(string xml, string reason)
    {
        Assert.That(() => DiscoItems.Parse(XElement.Parse(xml)), Throws.InstanceOf<FormatException>().With.Message.Contains(reason));
    }

    [Test]
    public void Builders_RejectNull()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new DiscoInfo().AddIdentity(null!), Throws.ArgumentNullException);
            Assert.That(() => new DiscoInfo().AddExtension(null!), Throws.ArgumentNullException);
            Assert.That(() => new DiscoItems().AddItem(null!), Throws.ArgumentNullException);
        });
    }
}
