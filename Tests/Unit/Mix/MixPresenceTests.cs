using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Mix;

/// <summary>MIX-PRESENCE (XEP-0403): presence shared with the channel and distributed from participant-id#channel/resource.</summary>
[TestFixture]
public sealed class MixPresenceTests
{
    private const string Core = "urn:xmpp:mix:core:1";
    private static readonly XNamespace PresenceNs = "urn:xmpp:mix:presence:0";
    private RoomHostHarness _mix = null!;
    private string _hagId = null!;

    [SetUp]
    public async Task SetUp()
    {
        _mix = await RoomHostHarness.StartAsync();
        await _mix.IqAsync($"<iq type='set' id='c' from='owner@test/a' to='mix.test'><create channel='coven' xmlns='{Core}'/></iq>");
        var hag = await _mix.IqAsync($"<iq type='set' id='j1' from='hag66@test/pda' to='coven@mix.test'><join xmlns='{Core}'><subscribe node='urn:xmpp:mix:nodes:presence'/><nick>thirdwitch</nick></join></iq>");
        _hagId = (string)hag.Element(XNamespace.Get(Core) + "join")!.Attribute("id")!;
        await _mix.IqAsync($"<iq type='set' id='j2' from='hecate@test/home' to='coven@mix.test'><join xmlns='{Core}'><subscribe node='urn:xmpp:mix:nodes:presence'/><nick>top witch</nick></join></iq>");
        _mix.TakeSent();
    }

    [TearDown]
    public async Task TearDown() => await _mix.DisposeAsync();

    [Test]
    public async Task Presence_is_distributed_from_the_encoded_jid_with_the_nick()
    {
        await _mix.SendAsync("<presence from='hag66@test/pda' to='coven@mix.test'><show>dnd</show><status>Making a Brew</status></presence>");
        var atHecate = await _mix.WaitForAsync(e => e.Name.LocalName == "presence" && (string?)e.Attribute("to") == "hecate@test/home");
        XmlAssert.AreEqual($"""
            <presence xmlns='jabber:component:accept' from='{_hagId}#coven@mix.test/pda' to='hecate@test/home' id='{atHecate.GetId()}'>
              <mix xmlns='urn:xmpp:mix:presence:0'><nick>thirdwitch</nick></mix>
              <show>dnd</show>
              <status>Making a Brew</status>
            </presence>
            """, atHecate);
    }

    [Test]
    public async Task The_presence_node_holds_current_presence_and_unavailable_withdraws_it()
    {
        await _mix.SendAsync("<presence from='hag66@test/pda' to='coven@mix.test'><show>away</show></presence>");
        var items = await _mix.IqAsync("<iq type='get' id='p' from='hecate@test/home' to='coven@mix.test'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='urn:xmpp:mix:nodes:presence'/></pubsub></iq>");
        var item = items.Descendants(Ns.PubSub + "item").Single();
        Assert.That((string?)item.Attribute("id"), Is.EqualTo($"{_hagId}#coven@mix.test/pda"));
        Assert.That(item.Descendants(Ns.Client + "show").Single().Value, Is.EqualTo("away"));

        await _mix.SendAsync("<presence type='unavailable' from='hag66@test/pda' to='coven@mix.test'/>");
        var gone = await _mix.WaitForAsync(e => e.Name.LocalName == "presence" && (string?)e.Attribute("to") == "hecate@test/home" && e.GetStanzaType() == "unavailable");
        Assert.That((string?)gone.Attribute("from"), Is.EqualTo($"{_hagId}#coven@mix.test/pda"));
        var after = await _mix.IqAsync("<iq type='get' id='p2' from='hecate@test/home' to='coven@mix.test'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='urn:xmpp:mix:nodes:presence'/></pubsub></iq>");
        Assert.That(after.Descendants(Ns.PubSub + "item"), Is.Empty);
    }

    [Test]
    public async Task A_non_participant_may_not_share_presence()
    {
        await _mix.SendAsync("<presence id='x' from='lurker@test/x' to='coven@mix.test'/>");
        var error = await _mix.WaitForAsync(e => e.GetId() == "x");
        Assert.That(StanzaError.FromStanza(error)!.Condition, Is.EqualTo(StanzaErrorCondition.Forbidden));
    }

    [Test]
    public async Task Leaving_makes_the_participants_resources_unavailable()
    {
        await _mix.SendAsync("<presence from='hag66@test/pda' to='coven@mix.test'/>");
        await _mix.WaitForAsync(e => e.Name.LocalName == "presence" && (string?)e.Attribute("to") == "hecate@test/home");
        await _mix.IqAsync($"<iq type='set' id='l' from='hag66@test/pda' to='coven@mix.test'><leave xmlns='{Core}'/></iq>");
        var gone = await _mix.WaitForAsync(e => e.Name.LocalName == "presence" && (string?)e.Attribute("to") == "hecate@test/home" && e.GetStanzaType() == "unavailable");
        Assert.That((string?)gone.Attribute("from"), Does.StartWith(_hagId + "#"));
    }
}
