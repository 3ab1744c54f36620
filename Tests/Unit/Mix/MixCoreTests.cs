using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Mix;

/// <summary>MIX-CORE (XEP-0369) golden flows: requests in, results, errors and notifications out.</summary>
[TestFixture]
public sealed class MixCoreTests
{
    private const string Core = "urn:xmpp:mix:core:1";
    private static readonly XNamespace CoreNs = Core;
    private RoomHostHarness _mix = null!;

    [SetUp]
    public async Task SetUp()
    {
        _mix = await RoomHostHarness.StartAsync();
        var created = await _mix.IqAsync($"<iq type='set' id='c' from='owner@test/a' to='mix.test'><create channel='coven' xmlns='{Core}'/></iq>");
        Assert.That(created.GetStanzaType(), Is.EqualTo("result"), created.ToString());
    }

    [TearDown]
    public async Task TearDown() => await _mix.DisposeAsync();

    private async Task<string> JoinAsync(string fullJid, string nick, params string[] nodes)
    {
        nodes = nodes.Length == 0 ? ["urn:xmpp:mix:nodes:messages", "urn:xmpp:mix:nodes:participants"] : nodes;
        var subscribe = string.Concat(nodes.Select(n => $"<subscribe node='{n}'/>"));
        var result = await _mix.IqAsync($"<iq type='set' id='j-{nick}' from='{fullJid}' to='coven@mix.test'><join xmlns='{Core}'>{subscribe}<nick>{nick}</nick></join></iq>");
        Assert.That(result.GetStanzaType(), Is.EqualTo("result"), result.ToString());
        return (string)result.Element(CoreNs + "join")!.Attribute("id")!;
    }

    private static StanzaErrorCondition? ErrorOf(XElement e) => StanzaError.FromStanza(e)?.Condition;

    [Test]
    public async Task The_service_describes_itself_and_offers_creation_to_local_users_only()
    {
        var local = await _mix.IqAsync("<iq type='get' id='d1' from='user@test/a' to='mix.test'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        var info = DiscoInfo.Parse(local.Element(Ns.DiscoInfo + "query")!);
        Assert.That(info.Identities.Single(), Is.EqualTo(new DiscoIdentity("conference", "mix", "MIX service")));
        Assert.That(info.Features, Does.Contain(Core).And.Contain(Core + "#create-channel").And.Contain(Core + "#searchable").And.Contain("urn:xmpp:mix:0"));
        Assert.That(info.Extensions.Select(f => f.FormType), Does.Contain("urn:xmpp:mix:0#serviceinfo").And.Contain("urn:xmpp:mix:muc:0#muc-mirror"));
        Assert.That(info.Extensions.Single(f => f.FormType == "urn:xmpp:mix:0#serviceinfo").GetValue("urn:xmpp:mix:nodes:muc_mirror"), Is.EqualTo("muc.test"));

        var remote = await _mix.IqAsync("<iq type='get' id='d2' from='user@elsewhere/a' to='mix.test'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        Assert.That(DiscoInfo.Parse(remote.Element(Ns.DiscoInfo + "query")!).Features, Does.Not.Contain(Core + "#create-channel"));
    }

    [Test]
    public async Task Public_channels_are_listed_and_a_channel_describes_its_nodes()
    {
        var items = await _mix.IqAsync("<iq type='get' id='i' from='user@test/a' to='mix.test'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
        Assert.That(DiscoItems.Parse(items.Element(Ns.DiscoItems + "query")!).Items.Select(i => i.Jid.ToString()), Is.EqualTo(new[] { "coven@mix.test" }));

        var info = await _mix.IqAsync("<iq type='get' id='ci' from='user@test/a' to='coven@mix.test'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        var channel = DiscoInfo.Parse(info.Element(Ns.DiscoInfo + "query")!);
        Assert.That(channel.Identities.Single().Type, Is.EqualTo("mix"));
        Assert.That(channel.Features, Does.Contain(Core).And.Contain("urn:xmpp:mam:2").And.Contain("urn:xmpp:sid:0"));

        var nodes = await _mix.IqAsync("<iq type='get' id='cn' from='user@test/a' to='coven@mix.test'><query xmlns='http://jabber.org/protocol/disco#items' node='mix'/></iq>");
        Assert.That(DiscoItems.Parse(nodes.Element(Ns.DiscoItems + "query")!).Items.Select(i => i.Node),
            Does.Contain("urn:xmpp:mix:nodes:messages").And.Contain("urn:xmpp:mix:nodes:participants").And.Contain("urn:xmpp:mix:nodes:info"));
    }

    [Test]
    public async Task Creating_needs_permission_and_a_free_name_and_an_ad_hoc_channel_gets_a_name()
    {
        Assert.That(ErrorOf(await _mix.IqAsync($"<iq type='set' id='x1' from='owner@test/a' to='mix.test'><create channel='coven' xmlns='{Core}'/></iq>")),
            Is.EqualTo(StanzaErrorCondition.Conflict));
        Assert.That(ErrorOf(await _mix.IqAsync($"<iq type='set' id='x2' from='stranger@elsewhere/a' to='mix.test'><create channel='other' xmlns='{Core}'/></iq>")),
            Is.EqualTo(StanzaErrorCondition.Forbidden));
        var adHoc = await _mix.IqAsync($"<iq type='set' id='x3' from='owner@test/a' to='mix.test'><create xmlns='{Core}'/></iq>");
        var name = (string?)adHoc.Element(CoreNs + "create")?.Attribute("channel");
        Assert.That(name, Is.Not.Null.And.Not.Empty);
        Assert.That(_mix.Rooms.Find(Jid.Parse($"{name}@mix.test")), Is.Not.Null);
    }

    [Test]
    public async Task Only_an_owner_may_destroy_a_channel()
    {
        Assert.That(ErrorOf(await _mix.IqAsync($"<iq type='set' id='d1' from='user@test/a' to='mix.test'><destroy channel='coven' xmlns='{Core}'/></iq>")),
            Is.EqualTo(StanzaErrorCondition.Forbidden));
        var ok = await _mix.IqAsync($"<iq type='set' id='d2' from='owner@test/a' to='mix.test'><destroy channel='coven' xmlns='{Core}'/></iq>");
        Assert.That(ok.GetStanzaType(), Is.EqualTo("result"));
        Assert.That(ErrorOf(await _mix.IqAsync($"<iq type='set' id='d3' from='user@test/a' to='coven@mix.test'><join xmlns='{Core}'><nick>x</nick></join></iq>")),
            Is.EqualTo(StanzaErrorCondition.ItemNotFound));
    }

    [Test]
    public async Task A_join_returns_the_stable_id_the_nodes_and_the_nick_and_tells_the_other_participants()
    {
        var hagId = await JoinAsync("hag66@test/pda", "thirdwitch");
        Assert.That(hagId, Does.Not.Contain("#").And.Not.Contain("/").And.Not.Contain("@"));
        _mix.TakeSent();

        var result = await _mix.IqAsync($"<iq type='set' id='j2' from='hecate@test/home' to='coven@mix.test'><join xmlns='{Core}'>" +
                                        "<subscribe node='urn:xmpp:mix:nodes:messages'/><subscribe node='urn:xmpp:mix:nodes:bogus'/><nick>top witch</nick></join></iq>");
        var join = result.Element(CoreNs + "join")!;
        Assert.That((string?)join.Attribute("id"), Is.Not.Empty.And.Not.EqualTo(hagId));
        Assert.That(join.Elements(CoreNs + "subscribe").Select(s => (string)s.Attribute("node")!), Is.EqualTo(new[] { "urn:xmpp:mix:nodes:messages" }));
        Assert.That(join.Element(CoreNs + "nick")!.Value, Is.EqualTo("top witch"));

        var newId = (string)join.Attribute("id")!;
        var note = await _mix.WaitForAsync(e => (string?)e.Attribute("to") == "hag66@test/pda" &&
                                                e.Descendants(Ns.PubSubEvent + "item").Any(i => (string?)i.Attribute("id") == newId));
        XmlAssert.AreEqual($"""
            <message xmlns='jabber:component:accept' from='coven@mix.test' to='hag66@test/pda' id='{note.GetId()}'>
              <event xmlns='http://jabber.org/protocol/pubsub#event'>
                <items node='urn:xmpp:mix:nodes:participants'>
                  <item id='{(string)join.Attribute("id")!}'><participant xmlns='{Core}'><nick>top witch</nick></participant></item>
                </items>
              </event>
            </message>
            """, note);
    }

    [Test]
    public async Task A_join_written_the_way_slixmpp_writes_it_is_understood()
    {
        var result = await _mix.IqAsync($"<iq type='set' id='js' from='poe@test/p' to='coven@mix.test'><join xmlns='{Core}'><nick>poe</nick>" +
                                        "<subscribe><subscribe node='urn:xmpp:mix:nodes:messages'/></subscribe></join></iq>");
        Assert.That(result.Element(CoreNs + "join")!.Elements(CoreNs + "subscribe").Select(s => (string?)s.Attribute("node")),
            Is.EqualTo(new[] { "urn:xmpp:mix:nodes:messages" }));
    }

    [Test]
    public async Task Join_errors_unknown_channel_missing_nick_taken_nick()
    {
        Assert.That(ErrorOf(await _mix.IqAsync($"<iq type='set' id='e1' from='a@test/r' to='nowhere@mix.test'><join xmlns='{Core}'><nick>a</nick></join></iq>")),
            Is.EqualTo(StanzaErrorCondition.ItemNotFound));
        Assert.That(ErrorOf(await _mix.IqAsync($"<iq type='set' id='e2' from='a@test/r' to='coven@mix.test'><join xmlns='{Core}'/></iq>")),
            Is.EqualTo(StanzaErrorCondition.NotAcceptable));
        await JoinAsync("hag66@test/pda", "thirdwitch");
        Assert.That(ErrorOf(await _mix.IqAsync($"<iq type='set' id='e3' from='b@test/r' to='coven@mix.test'><join xmlns='{Core}'><nick>ThirdWitch</nick></join></iq>")),
            Is.EqualTo(StanzaErrorCondition.Conflict));
    }

    [Test]
    public async Task A_message_is_archived_then_reflected_to_every_subscriber_with_the_archive_id()
    {
        var hagId = await JoinAsync("hag66@test/pda", "thirdwitch");
        await JoinAsync("hecate@test/home", "top witch");
        _mix.TakeSent();

        await _mix.SendAsync("<message type='groupchat' id='orig-1' from='hag66@test/pda' to='coven@mix.test'><body>Harpier cries</body>" +
                             "<origin-id xmlns='urn:xmpp:sid:0' id='o-1'/><stanza-id xmlns='urn:xmpp:sid:0' id='forged' by='coven@mix.test'/></message>");
        var toHecate = await _mix.WaitForAsync(e => (string?)e.Attribute("to") == "hecate@test/home" && e.Element(Ns.Component + "body") != null);
        var toSender = await _mix.WaitForAsync(e => (string?)e.Attribute("to") == "hag66@test/pda" && e.Element(Ns.Component + "body") != null);

        var archiveId = toHecate.GetId()!;
        XmlAssert.AreEqual($"""
            <message xmlns='jabber:component:accept' from='coven@mix.test/{hagId}' to='hecate@test/home' type='groupchat' id='{archiveId}'>
              <body>Harpier cries</body>
              <origin-id xmlns='urn:xmpp:sid:0' id='o-1'/>
              <mix xmlns='{Core}'><nick>thirdwitch</nick></mix>
              <stanza-id xmlns='urn:xmpp:sid:0' id='{archiveId}' by='coven@mix.test'/>
            </message>
            """, toHecate);
        Assert.That(toSender.GetId(), Is.EqualTo(archiveId), "the sender's reflection carries the same archive id");

        var page = await _mix.Archive.QueryAsync("coven@mix.test", new XmppGroupChat.Archive.ArchiveQuery());
        Assert.That(page.Messages.Single().Id, Is.EqualTo(archiveId));
    }

    [Test]
    public async Task Real_jids_are_shown_only_where_the_channel_shows_them()
    {
        await JoinAsync("hag66@test/pda", "thirdwitch");
        await JoinAsync("owner@test/a", "boss");
        _mix.TakeSent();
        await _mix.SendAsync("<message type='groupchat' from='hag66@test/pda' to='coven@mix.test'><body>hi</body></message>");
        var toOwner = await _mix.WaitForAsync(e => (string?)e.Attribute("to") == "owner@test/a" && e.Element(Ns.Component + "body") != null);
        var toHag = await _mix.WaitForAsync(e => (string?)e.Attribute("to") == "hag66@test/pda" && e.Element(Ns.Component + "body") != null);
        Assert.That(toOwner.Element(CoreNs + "mix")!.Element(CoreNs + "jid")?.Value, Is.EqualTo("hag66@test"), "the owner sees real JIDs");
        Assert.That(toHag.Element(CoreNs + "mix")!.Element(CoreNs + "jid"), Is.Null, "participants do not, by default");
    }

    [Test]
    public async Task A_non_participant_cannot_post()
    {
        await _mix.SendAsync("<message type='groupchat' id='m1' from='lurker@test/x' to='coven@mix.test'><body>hi</body></message>");
        var bounce = await _mix.WaitForAsync(e => e.GetId() == "m1");
        Assert.That(ErrorOf(bounce), Is.EqualTo(StanzaErrorCondition.Forbidden));
    }

    [Test]
    public async Task Setnick_checks_conflicts_and_announces_the_change()
    {
        await JoinAsync("hag66@test/pda", "thirdwitch");
        await JoinAsync("hecate@test/home", "top witch");
        Assert.That(ErrorOf(await _mix.IqAsync($"<iq type='set' id='n1' from='hag66@test/pda' to='coven@mix.test'><setnick xmlns='{Core}'><nick>top witch</nick></setnick></iq>")),
            Is.EqualTo(StanzaErrorCondition.Conflict));
        _mix.TakeSent();
        var ok = await _mix.IqAsync($"<iq type='set' id='n2' from='hag66@test/pda' to='coven@mix.test'><setnick xmlns='{Core}'><nick>first witch</nick></setnick></iq>");
        Assert.That(ok.Element(CoreNs + "setnick")!.Element(CoreNs + "nick")!.Value, Is.EqualTo("first witch"));
        var note = await _mix.WaitForAsync(e => (string?)e.Attribute("to") == "hecate@test/home" &&
                                                e.Descendants(CoreNs + "nick").Any(n => n.Value == "first witch"));
        Assert.That(note.Descendants(Ns.PubSubEvent + "items").Single().Attribute("node")!.Value, Is.EqualTo("urn:xmpp:mix:nodes:participants"));
    }

    [Test]
    public async Task Leaving_retracts_the_participant_and_ends_posting()
    {
        var hagId = await JoinAsync("hag66@test/pda", "thirdwitch");
        await JoinAsync("hecate@test/home", "top witch");
        _mix.TakeSent();
        var left = await _mix.IqAsync($"<iq type='set' id='l' from='hag66@test/pda' to='coven@mix.test'><leave xmlns='{Core}'/></iq>");
        Assert.That(left.Element(CoreNs + "leave"), Is.Not.Null);
        var retract = await _mix.WaitForAsync(e => (string?)e.Attribute("to") == "hecate@test/home" && e.Descendants(Ns.PubSubEvent + "retract").Any());
        Assert.That((string?)retract.Descendants(Ns.PubSubEvent + "retract").Single().Attribute("id"), Is.EqualTo(hagId));

        await _mix.SendAsync("<message type='groupchat' id='after' from='hag66@test/pda' to='coven@mix.test'><body>still here?</body></message>");
        Assert.That(ErrorOf(await _mix.WaitForAsync(e => e.GetId() == "after")), Is.EqualTo(StanzaErrorCondition.Forbidden));
    }

    [Test]
    public async Task Unsubscribing_from_messages_stops_reflections()
    {
        await JoinAsync("hag66@test/pda", "thirdwitch");
        await JoinAsync("hecate@test/home", "top witch");
        var update = await _mix.IqAsync($"<iq type='set' id='u' from='hecate@test/home' to='coven@mix.test'><update-subscription xmlns='{Core}'>" +
                                        "<unsubscribe node='urn:xmpp:mix:nodes:messages'/><subscribe node='urn:xmpp:mix:nodes:info'/></update-subscription></iq>");
        var nodes = update.Element(CoreNs + "update-subscription")!;
        Assert.That((string?)nodes.Attribute("jid"), Is.EqualTo("hecate@test"));
        Assert.That(nodes.Elements().Select(s => (string?)s.Attribute("node")), Is.EquivalentTo(new[] { "urn:xmpp:mix:nodes:participants", "urn:xmpp:mix:nodes:info" }));
        _mix.TakeSent();
        await _mix.SendAsync("<message type='groupchat' from='hag66@test/pda' to='coven@mix.test'><body>anyone?</body></message>");
        await _mix.WaitForAsync(e => (string?)e.Attribute("to") == "hag66@test/pda");
        await _mix.SettleAsync();
        Assert.That(_mix.TakeSent().Any(e => (string?)e.Attribute("to") == "hecate@test/home" && e.Element(Ns.Component + "body") != null), Is.False);
    }

    [Test]
    public async Task Participants_and_info_nodes_are_readable_by_participants_only()
    {
        var hagId = await JoinAsync("hag66@test/pda", "thirdwitch");
        var items = await _mix.IqAsync("<iq type='get' id='p' from='hag66@test/pda' to='coven@mix.test'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='urn:xmpp:mix:nodes:participants'/></pubsub></iq>");
        var item = items.Descendants(Ns.PubSub + "item").Single();
        Assert.That((string?)item.Attribute("id"), Is.EqualTo(hagId));
        Assert.That(item.Descendants(CoreNs + "nick").Single().Value, Is.EqualTo("thirdwitch"));

        var info = await _mix.IqAsync("<iq type='get' id='i' from='hag66@test/pda' to='coven@mix.test'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='urn:xmpp:mix:nodes:info'/></pubsub></iq>");
        var form = DataForm.Parse(info.Descendants(Ns.DataForms + "x").Single());
        Assert.That(form.FormType, Is.EqualTo(Core));
        Assert.That(form.GetValue("Name"), Is.EqualTo("coven"));

        Assert.That(ErrorOf(await _mix.IqAsync("<iq type='get' id='q' from='lurker@test/x' to='coven@mix.test'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='urn:xmpp:mix:nodes:participants'/></pubsub></iq>")),
            Is.EqualTo(StanzaErrorCondition.Forbidden));
    }

    [Test]
    public async Task A_bounced_delivery_forgets_that_resource()
    {
        await JoinAsync("hag66@test/pda", "thirdwitch");
        await JoinAsync("hecate@test/home", "top witch");
        await _mix.SendAsync("<message type='error' from='hecate@test/home' to='coven@mix.test'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
        _mix.TakeSent();
        await _mix.SendAsync("<message type='groupchat' from='hag66@test/pda' to='coven@mix.test'><body>hello</body></message>");
        await _mix.WaitForAsync(e => (string?)e.Attribute("to") == "hag66@test/pda");
        await _mix.SettleAsync();
        Assert.That(_mix.TakeSent().Any(e => (string?)e.Attribute("to") == "hecate@test/home" && e.Element(Ns.Component + "body") != null), Is.False);
    }

    [Test]
    public async Task Channels_participants_and_messages_survive_a_restart()
    {
        var hagId = await JoinAsync("hag66@test/pda", "thirdwitch");
        await _mix.SendAsync("<message type='groupchat' from='hag66@test/pda' to='coven@mix.test'><body>remember me</body></message>");
        await _mix.WaitForAsync(e => e.Element(Ns.Component + "body") != null);

        _mix = await _mix.RestartAsync();
        var room = _mix.Rooms.Find(Jid.Parse("coven@mix.test"));
        Assert.That(room, Is.Not.Null);
        Assert.That(room!.FindParticipant(Jid.Parse("hag66@test"))!.Id, Is.EqualTo(hagId));
        Assert.That(room.IsOwner(Jid.Parse("owner@test")), Is.True);
        var page = await _mix.Archive.QueryAsync("coven@mix.test", new XmppGroupChat.Archive.ArchiveQuery());
        Assert.That(page.Messages.Single().Stanza.Element(Ns.Component + "body")!.Value, Is.EqualTo("remember me"));
    }

    [Test]
    public async Task A_participant_that_joined_through_its_server_gets_the_channels_messages_at_its_bare_jid()
    {
        // XEP-0405: the user's server relays the join from the bare JID and distributes what the channel sends there.
        var joined = await _mix.IqAsync($"<iq type='set' id='j-pam' from='carol@test' to='coven@mix.test'><join xmlns='{Core}'>" +
                                        $"<subscribe node='urn:xmpp:mix:nodes:messages'/><nick>carol</nick></join></iq>");
        Assert.That(joined.GetStanzaType(), Is.EqualTo("result"), joined.ToString());
        var hag = await JoinAsync("hag66@test/pda", "thirdwitch");
        _mix.TakeSent();

        await _mix.SendAsync("<message type='groupchat' id='m1' from='hag66@test/pda' to='coven@mix.test'><body>Hail</body></message>");
        var copy = await _mix.WaitForAsync(e => (string?)e.Attribute("to") == "carol@test");
        var id = copy.GetId()!;
        var expected = XElement.Parse($"<message xmlns='jabber:component:accept' to='carol@test' from='coven@mix.test/{hag}' type='groupchat' id='{id}'>" +
                                      $"<body>Hail</body><mix xmlns='{Core}'><nick>thirdwitch</nick></mix>" +
                                      $"<stanza-id xmlns='urn:xmpp:sid:0' id='{id}' by='coven@mix.test'/><mix/></message>");
        Assert.That(XNode.DeepEquals(copy, expected), Is.True, $"got\n{copy}\nexpected\n{expected}");
        await _mix.SettleAsync();
        Assert.That(_mix.TakeSent().Where(e => e.GetTo()?.Bare.ToString() == "carol@test"), Is.Empty, "one copy, for the server to distribute");
    }
}
