using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Mix;

/// <summary>The seed draft (urn:xmpp:mix:0, seed 001), and one conversation shared with core:1 participants.</summary>
[TestFixture]
public sealed class Mix0Tests
{
    private const string Mix0 = "urn:xmpp:mix:0";
    private const string Core = "urn:xmpp:mix:core:1";
    private RoomHostHarness _mix = null!;

    [SetUp]
    public async Task SetUp()
    {
        _mix = await RoomHostHarness.StartAsync();
        await _mix.IqAsync($"<iq type='set' id='c' from='owner@test/a' to='mix.test'><create channel='coven' xmlns='{Core}'/></iq>");
    }

    [TearDown]
    public async Task TearDown() => await _mix.DisposeAsync();

    [Test]
    public async Task Registering_a_nick_with_the_service_and_its_conflict()
    {
        var ok = await _mix.IqAsync($"<iq type='set' id='r1' from='hag66@test/pda' to='mix.test'><register xmlns='{Mix0}'><nick>thirdwitch</nick></register></iq>");
        XmlAssert.AreEqual($"<iq xmlns='jabber:component:accept' type='result' id='r1' from='mix.test' to='hag66@test/pda'><register xmlns='{Mix0}'><nick>thirdwitch</nick></register></iq>", ok);
        var taken = await _mix.IqAsync($"<iq type='set' id='r2' from='other@test/x' to='mix.test'><register xmlns='{Mix0}'><nick>thirdwitch</nick></register></iq>");
        Assert.That(StanzaError.FromStanza(taken)!.Condition, Is.EqualTo(StanzaErrorCondition.Conflict));
        var assigned = await _mix.IqAsync($"<iq type='set' id='r3' from='other@test/x' to='mix.test'><register xmlns='{Mix0}'/></iq>");
        Assert.That(assigned.Descendants(XNamespace.Get(Mix0) + "nick").Single().Value, Is.Not.Empty);
    }

    [Test]
    public async Task A_seed_join_uses_the_registered_nick_and_answers_with_the_bare_jid()
    {
        await _mix.IqAsync($"<iq type='set' id='r' from='hag66@test/pda' to='mix.test'><register xmlns='{Mix0}'><nick>thirdwitch</nick></register></iq>");
        var result = await _mix.IqAsync($"<iq type='set' id='j' from='hag66@test/pda' to='coven@mix.test'><join xmlns='{Mix0}'>" +
                                        "<subscribe node='urn:xmpp:mix:nodes:messages'/><subscribe node='urn:xmpp:mix:nodes:presence'/></join></iq>");
        var join = result.Element(XNamespace.Get(Mix0) + "join")!;
        Assert.That((string?)join.Attribute("jid"), Is.EqualTo("hag66@test"));
        Assert.That(join.Elements(XNamespace.Get(Mix0) + "subscribe").Count(), Is.EqualTo(2));
        Assert.That(_mix.Rooms.Find(Jid.Parse("coven@mix.test"))!.FindParticipant(Jid.Parse("hag66@test"))!.Nick, Is.EqualTo("thirdwitch"));
    }

    [Test]
    public async Task A_seed_publisher_and_a_core_participant_see_each_others_messages()
    {
        await _mix.IqAsync($"<iq type='set' id='j0' from='hag66@test/pda' to='coven@mix.test'><join xmlns='{Mix0}'><subscribe node='urn:xmpp:mix:nodes:messages'/></join></iq>");
        await _mix.IqAsync($"<iq type='set' id='j1' from='hecate@test/home' to='coven@mix.test'><join xmlns='{Core}'><subscribe node='urn:xmpp:mix:nodes:messages'/><nick>top witch</nick></join></iq>");
        _mix.TakeSent();

        var published = await _mix.IqAsync("<iq type='set' id='p' from='hag66@test/pda' to='coven@mix.test'><pubsub xmlns='http://jabber.org/protocol/pubsub'>" +
                                           "<publish node='urn:xmpp:mix:nodes:messages'><item><body xmlns='jabber:client'>Harpier cries</body></item></publish></pubsub></iq>");
        var itemId = (string?)published.Descendants(Ns.PubSub + "item").Single().Attribute("id");
        Assert.That(itemId, Is.Not.Empty);
        var toCore = await _mix.WaitForAsync(e => (string?)e.Attribute("to") == "hecate@test/home");
        Assert.That(toCore.GetStanzaType(), Is.EqualTo("groupchat"));
        Assert.That(toCore.Element(Ns.Component + "body")!.Value, Is.EqualTo("Harpier cries"));
        Assert.That(toCore.GetId(), Is.EqualTo(itemId), "one archive id on both sides");
        var toSeed = await _mix.WaitForAsync(e => (string?)e.Attribute("to") == "hag66@test/pda");
        var item = toSeed.Descendants(Ns.PubSubEvent + "item").Single();
        Assert.That((string?)item.Parent!.Attribute("node"), Is.EqualTo("urn:xmpp:mix:nodes:messages"));
        Assert.That(item.Element(Ns.Client + "body")!.Value, Is.EqualTo("Harpier cries"));

        await _mix.SendAsync("<message type='groupchat' from='hecate@test/home' to='coven@mix.test'><body>'tis time</body></message>");
        var back = await _mix.WaitForAsync(e => (string?)e.Attribute("to") == "hag66@test/pda" && e.Descendants(Ns.Client + "body").Any());
        Assert.That(back.Descendants(Ns.Client + "body").Single().Value, Is.EqualTo("'tis time"));
    }

    [Test]
    public async Task Presence_published_to_the_presence_node_is_pushed_and_retracted_when_unavailable()
    {
        foreach (var (jid, id) in new[] { ("hag66@test/pda", "a"), ("hecate@test/home", "b") })
            await _mix.IqAsync($"<iq type='set' id='{id}' from='{jid}' to='coven@mix.test'><join xmlns='{Mix0}'><subscribe node='urn:xmpp:mix:nodes:presence'/></join></iq>");
        _mix.TakeSent();
        var ok = await _mix.IqAsync("<iq type='set' id='pp' from='hag66@test/pda' to='coven@mix.test'><pubsub xmlns='http://jabber.org/protocol/pubsub'>" +
                                    "<publish node='urn:xmpp:mix:nodes:presence'><item><presence xmlns='jabber:client'><show>away</show></presence></item></publish></pubsub></iq>");
        Assert.That(ok.GetStanzaType(), Is.EqualTo("result"));
        var pushed = await _mix.WaitForAsync(e => (string?)e.Attribute("to") == "hecate@test/home" && e.Descendants(Ns.PubSubEvent + "item").Any());
        Assert.That(pushed.Descendants(Ns.Client + "show").Single().Value, Is.EqualTo("away"));

        await _mix.SendAsync("<presence type='unavailable' from='hag66@test/pda' to='coven@mix.test'/>");
        var retracted = await _mix.WaitForAsync(e => (string?)e.Attribute("to") == "hecate@test/home" && e.Descendants(Ns.PubSubEvent + "retract").Any());
        Assert.That((string?)retracted.Descendants(Ns.PubSubEvent + "items").Single().Attribute("node"), Is.EqualTo("urn:xmpp:mix:nodes:presence"));
    }

    [Test]
    public async Task A_seed_leave_removes_the_participant()
    {
        await _mix.IqAsync($"<iq type='set' id='j' from='hag66@test/pda' to='coven@mix.test'><join xmlns='{Mix0}'><subscribe node='urn:xmpp:mix:nodes:messages'/></join></iq>");
        var left = await _mix.IqAsync($"<iq type='set' id='l' from='hag66@test' to='coven@mix.test'><leave xmlns='{Mix0}'/></iq>");
        Assert.That(left.Element(XNamespace.Get(Mix0) + "leave"), Is.Not.Null);
        Assert.That(_mix.Rooms.Find(Jid.Parse("coven@mix.test"))!.FindParticipant(Jid.Parse("hag66@test")), Is.Null);
    }
}
