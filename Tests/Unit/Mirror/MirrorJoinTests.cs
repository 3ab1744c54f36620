using System.Xml.Linq;
using XmppGroupChat.Xmpp;
using static XmppGroupChat.Tests.Unit.Mirror.MirrorTestKit;

namespace XmppGroupChat.Tests.Unit.Mirror;

/// <summary>Joining, presence, status changes, nick changes and leaving through the mirror: golden stanzas.</summary>
[TestFixture]
public sealed class MirrorJoinTests
{
    private MirrorHarness _h = null!;

    [SetUp]
    public void SetUp() => _h = new MirrorHarness();

    [Test]
    public async Task A_join_goes_to_the_master_once_from_the_session_proxy_jid_naming_the_real_user()
    {
        await _h.SendAsync($"<presence id='j1' from='{Kev}' to='{Proxy}/Kev'><x xmlns='{Muc}'><password>cauldron</password></x>" +
                           "<show>away</show><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://swift.im' ver='q07I'/>" +
                           $"<fmuc xmlns='{Fmuc}' from='someone@else.test/x'/></presence>");
        var sent = _h.TakeSent();
        Assert.That(sent, Has.Count.EqualTo(1), "one presence upstream, nothing to the user yet");
        XmlAssert.AreEqual($"""
            <presence xmlns='jabber:component:accept' id='j1' from='{_h.ProxyJidOf(Kev)}' to='room@muc.alpha.test/Kev'>
              <x xmlns='{Muc}'><password>cauldron</password></x>
              <show>away</show>
              <c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://swift.im' ver='q07I'/>
              <fmuc xmlns='{Fmuc}' from='{Kev}'/>
            </presence>
            """, sent[0]);
    }

    [Test]
    public void Each_local_session_has_its_own_opaque_stable_proxy_jid()
    {
        var kev = Jid.Parse(_h.ProxyJidOf(Kev));
        Assert.That(kev.Bare.ToString(), Is.EqualTo(Proxy));
        Assert.That(kev.Resource, Does.Match("^[a-z2-7]{12}$"));
        Assert.That(_h.ProxyJidOf(Kev), Is.EqualTo(new MirrorHarness().ProxyJidOf(Kev)), "the same key gives the same sid");
        Assert.That(_h.ProxyJidOf("kev@beta.test/Phone"), Is.Not.EqualTo(kev.ToString()), "another client of the same user");
        Assert.That(_h.ProxyJidOf(Kev, "other@muc.alpha.test"), Does.Not.EndWith("/" + kev.Resource), "another room");
    }

    [Test]
    public async Task The_masters_entering_sequence_reaches_the_user_from_the_proxy_room()
    {
        await _h.SendAsync($"<presence from='{Kev}' to='{Proxy}/Kev'><x xmlns='{Muc}'/></presence>");
        var kevProxy = _h.ProxyJidOf(Kev);
        _h.TakeSent();
        await _h.SendAsync($"<presence from='{Room}/Curtis' to='{kevProxy}'><x xmlns='{MucUser}'>" +
                           "<item affiliation='owner' role='moderator'/></x><occupant-id xmlns='urn:xmpp:occupant-id:0' id='oc1'/></presence>");
        await _h.SendAsync($"<presence from='{Room}/Kev' to='{kevProxy}'><x xmlns='{MucUser}'>" +
                           "<item affiliation='none' role='participant'/><status code='110'/></x></presence>");
        await _h.SendAsync($"<message type='groupchat' id='s1' from='{Room}/Curtis' to='{kevProxy}'><subject>Spells</subject></message>");

        var sent = _h.TakeSent();
        Assert.That(sent, Has.Count.EqualTo(3));
        XmlAssert.AreEqual($"""
            <presence xmlns='jabber:component:accept' from='{Proxy}/Curtis' to='{Kev}'>
              <x xmlns='{MucUser}'><item affiliation='owner' role='moderator'/></x>
              <occupant-id xmlns='urn:xmpp:occupant-id:0' id='oc1'/>
            </presence>
            """, sent[0]);
        XmlAssert.AreEqual($"""
            <presence xmlns='jabber:component:accept' from='{Proxy}/Kev' to='{Kev}'>
              <x xmlns='{MucUser}'><item affiliation='none' role='participant'/><status code='110'/></x>
            </presence>
            """, sent[1]);
        XmlAssert.AreEqual($"<message xmlns='jabber:component:accept' type='groupchat' id='s1' from='{Proxy}/Curtis' to='{Kev}'><subject>Spells</subject></message>", sent[2]);
    }

    [Test]
    public async Task A_join_the_master_refuses_reaches_the_user_as_the_seed_shows_and_the_room_is_forgotten()
    {
        await _h.SendAsync($"<presence from='{Kev}' to='{Proxy}/Kev'><x xmlns='{Muc}'/></presence>");
        _h.TakeSent();
        await _h.SendAsync($"<presence from='{Room}' to='{_h.ProxyJidOf(Kev)}' type='error'><x xmlns='{Muc}'/>" +
                           "<error type='auth'><registration-required xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>");
        XmlAssert.AreEqual($"""
            <presence xmlns='jabber:component:accept' from='{Proxy}' to='{Kev}' type='error'>
              <x xmlns='{Muc}'/>
              <error type='auth'><registration-required xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>
            </presence>
            """, _h.TakeSent().Single());
        Assert.That(_h.Mirror.RoomCount, Is.Zero);

        await _h.SendAsync($"<message type='groupchat' id='late' from='{Room}/Curtis' to='{_h.ProxyJidOf(Kev)}'><body>hi</body></message>");
        var answer = _h.TakeSent().Single();
        Assert.That(Condition(answer), Is.EqualTo(StanzaErrorCondition.ServiceUnavailable), "the master learns the address is not an occupant");
        Assert.That(To(answer), Is.EqualTo($"{Room}/Curtis"));
    }

    [TestCase(MasterKind.Fmuc)]
    [TestCase(MasterKind.Plain)]
    public async Task Others_presences_reach_every_local_user_once(MasterKind master)
    {
        await _h.JoinAsync(Kev, "Kev");
        await _h.JoinAsync(Ann, "Ann");
        _h.TakeSent();
        const string curtis = $"<x xmlns='{MucUser}'><item affiliation='none' role='participant'/></x>";
        if (master == MasterKind.Fmuc)
            await _h.SendAsync($"<presence from='{Room}/Curtis' to='{Proxy}'>{curtis}</presence>");
        else
            foreach (var user in new[] { Kev, Ann })
                await _h.SendAsync($"<presence from='{Room}/Curtis' to='{_h.ProxyJidOf(user)}'>{curtis}</presence>");

        var sent = _h.TakeSent();
        Assert.That(sent.Select(To), Is.EquivalentTo(new[] { Kev, Ann }));
        Assert.That(sent.Select(From), Is.All.EqualTo($"{Proxy}/Curtis"));
    }

    /// <summary>How this kind of master tells the room about a local user's presence: others get it without 110, the user with it.</summary>
    private async Task MasterBroadcastsOwnPresenceAsync(MasterKind master, string user, string nick, string others, string type = "", string payload = "")
    {
        var typeAttribute = type.Length == 0 ? "" : $" type='{type}'";
        var item = "<item affiliation='none' role='participant'/>";
        if (master == MasterKind.Fmuc)
            await _h.SendAsync($"<presence{typeAttribute} from='{Room}/{nick}' to='{Proxy}'>{payload}<x xmlns='{MucUser}'>{item}</x></presence>");
        else
            await _h.SendAsync($"<presence{typeAttribute} from='{Room}/{nick}' to='{_h.ProxyJidOf(others)}'>{payload}<x xmlns='{MucUser}'>{item}</x></presence>");
        await _h.SendAsync($"<presence{typeAttribute} from='{Room}/{nick}' to='{_h.ProxyJidOf(user)}'>{payload}<x xmlns='{MucUser}'>{item}<status code='110'/></x></presence>");
    }

    [TestCase(MasterKind.Fmuc)]
    [TestCase(MasterKind.Plain)]
    public async Task A_status_change_goes_upstream_and_each_local_user_sees_it_once(MasterKind master)
    {
        await _h.JoinAsync(Kev, "Kev");
        await _h.JoinAsync(Ann, "Ann");
        _h.TakeSent();
        await _h.SendAsync($"<presence from='{Kev}' to='{Proxy}/Kev'><show>dnd</show></presence>");
        XmlAssert.AreEqual($"<presence xmlns='jabber:component:accept' from='{_h.ProxyJidOf(Kev)}' to='{Room}/Kev'><show>dnd</show></presence>",
            _h.TakeSent().Single());

        await MasterBroadcastsOwnPresenceAsync(master, Kev, "Kev", others: Ann, payload: "<show>dnd</show>");
        var sent = _h.TakeSent();
        Assert.That(sent.Select(To), Is.EqualTo(new[] { Ann, Kev }), "a broadcast of Kev's own presence is not delivered to Kev twice");
        Assert.That(sent.Select(From), Is.All.EqualTo($"{Proxy}/Kev"));
        Assert.That(Codes(sent[0]), Does.Not.Contain("110"));
        Assert.That(Codes(sent[1]), Does.Contain("110"));
        Assert.That(_h.Mirror.RoomCount, Is.EqualTo(1));
    }

    [Test]
    public async Task A_real_jid_in_the_masters_one_copy_is_shown_only_to_users_who_may_see_it()
    {
        await _h.JoinAsync(Kev, "Kev", role: "moderator");
        await _h.JoinAsync(Ann, "Ann");
        _h.TakeSent();
        await _h.SendAsync($"<presence from='{Room}/Curtis' to='{Proxy}'><x xmlns='{MucUser}'>" +
                           "<item affiliation='owner' role='moderator' jid='curtis@alpha.test/Swift'/></x></presence>");
        var sent = _h.TakeSent().ToDictionary(e => To(e)!);
        Assert.That((string?)sent[Kev].Descendants(Ns.MucUser + "item").Single().Attribute("jid"), Is.EqualTo("curtis@alpha.test/Swift"), "a moderator sees it");
        XmlAssert.AreEqual($"""
            <presence xmlns='jabber:component:accept' from='{Proxy}/Curtis' to='{Ann}'>
              <x xmlns='{MucUser}'><item affiliation='owner' role='moderator'/></x>
            </presence>
            """, sent[Ann]);

        // The room becomes non-anonymous (172): now everyone sees real JIDs.
        await _h.SendAsync($"<message type='groupchat' from='{Room}' to='{Proxy}'><x xmlns='{MucUser}'><status code='172'/></x></message>");
        _h.TakeSent();
        await _h.SendAsync($"<presence from='{Room}/Curtis' to='{Proxy}'><x xmlns='{MucUser}'>" +
                           "<item affiliation='owner' role='moderator' jid='curtis@alpha.test/Swift'/></x></presence>");
        Assert.That(_h.TakeSent().Select(e => (string?)e.Descendants(Ns.MucUser + "item").Single().Attribute("jid")), Is.All.EqualTo("curtis@alpha.test/Swift"));
    }

    [Test]
    public async Task In_a_non_anonymous_room_everyone_sees_real_jids_from_their_self_presence_on()
    {
        await _h.JoinAsync(Ann, "Ann", codes: "<status code='100'/>");
        _h.TakeSent();
        await _h.SendAsync($"<presence from='{Room}/Curtis' to='{Proxy}'><x xmlns='{MucUser}'>" +
                           "<item affiliation='none' role='participant' jid='curtis@alpha.test/Swift'/></x></presence>");
        Assert.That((string?)_h.TakeSent().Single().Descendants(Ns.MucUser + "item").Single().Attribute("jid"), Is.EqualTo("curtis@alpha.test/Swift"));
    }

    [Test]
    public async Task A_plain_muc_showing_a_proxy_jid_shows_the_local_user_it_stands_for()
    {
        await _h.JoinAsync(Kev, "Kev", role: "moderator");
        await _h.JoinAsync(Ann, "Ann");
        _h.TakeSent();
        await _h.SendAsync($"<presence from='{Room}/Ann' to='{_h.ProxyJidOf(Kev)}'><x xmlns='{MucUser}'>" +
                           $"<item affiliation='none' role='participant' jid='{_h.ProxyJidOf(Ann)}'/></x></presence>");
        Assert.That((string?)_h.TakeSent().Single().Descendants(Ns.MucUser + "item").Single().Attribute("jid"), Is.EqualTo(Ann));
    }

    [Test]
    public async Task Another_mirrors_fmuc_element_shown_by_a_plain_muc_is_not_passed_on()
    {
        await _h.JoinAsync(Kev, "Kev");
        _h.TakeSent();
        await _h.SendAsync($"<presence from='{Room}/Zed' to='{_h.ProxyJidOf(Kev)}'><x xmlns='{MucUser}'><item affiliation='none' role='participant'/></x>" +
                           $"<fmuc xmlns='{Fmuc}' from='zed@gamma.test/x'/></presence>");
        Assert.That(_h.TakeSent().Single().Element(XName.Get("fmuc", Fmuc)), Is.Null);
    }

    [Test]
    public async Task A_nick_change_is_refused_with_not_acceptable_and_nothing_goes_upstream()
    {
        await _h.JoinAsync(Kev, "Kev");
        _h.TakeSent();
        await _h.SendAsync($"<presence id='n1' from='{Kev}' to='{Proxy}/Kevin'/>");
        var refusal = _h.TakeSent().Single();
        Assert.That(To(refusal), Is.EqualTo(Kev));
        Assert.That(From(refusal), Is.EqualTo($"{Proxy}/Kevin"));
        var error = StanzaError.FromStanza(refusal)!;
        Assert.That(error.Condition, Is.EqualTo(StanzaErrorCondition.NotAcceptable));
        Assert.That(error.Type, Is.EqualTo(StanzaErrorType.Modify));
    }

    [Test]
    public async Task Leaving_goes_upstream_the_self_unavailable_comes_back_and_the_room_is_forgotten()
    {
        await _h.JoinAsync(Kev, "Kev");
        _h.TakeSent();
        await _h.SendAsync($"<presence type='unavailable' from='{Kev}' to='{Proxy}/Kev'><status>gone to bed</status></presence>");
        XmlAssert.AreEqual($"<presence xmlns='jabber:component:accept' type='unavailable' from='{_h.ProxyJidOf(Kev)}' to='{Room}/Kev'><status>gone to bed</status></presence>",
            _h.TakeSent().Single());
        Assert.That(_h.Mirror.RoomCount, Is.EqualTo(1), "until the master confirms");

        await _h.SendAsync($"<presence type='unavailable' from='{Room}/Kev' to='{_h.ProxyJidOf(Kev)}'><x xmlns='{MucUser}'>" +
                           "<item affiliation='none' role='none'/><status code='110'/></x></presence>");
        XmlAssert.AreEqual($"""
            <presence xmlns='jabber:component:accept' type='unavailable' from='{Proxy}/Kev' to='{Kev}'>
              <x xmlns='{MucUser}'><item affiliation='none' role='none'/><status code='110'/></x>
            </presence>
            """, _h.TakeSent().Single());
        Assert.That(_h.Mirror.RoomCount, Is.Zero);

        // No traffic for the room afterwards: the master is told the proxy room is empty.
        await _h.SendAsync($"<message type='groupchat' id='x' from='{Room}/Curtis' to='{Proxy}'><body>anyone?</body></message>");
        Assert.That(Condition(_h.TakeSent().Single()), Is.EqualTo(StanzaErrorCondition.ServiceUnavailable));
        await _h.SendAsync($"<presence from='{Room}/Curtis' to='{Proxy}'><x xmlns='{MucUser}'><item affiliation='none' role='participant'/></x></presence>");
        Assert.That(_h.TakeSent(), Is.Empty);
    }

    [Test]
    public async Task A_leaving_session_gets_only_its_own_exit_from_a_plain_muc()
    {
        await _h.JoinAsync(Kev, "Kev");
        await _h.SendAsync($"<presence type='unavailable' from='{Kev}' to='{Proxy}/Kev'/>");
        _h.TakeSent();
        await _h.SendAsync($"<presence from='{Room}/Curtis' to='{_h.ProxyJidOf(Kev)}'><x xmlns='{MucUser}'><item affiliation='none' role='participant'/></x></presence>");
        await _h.SendAsync($"<message type='groupchat' from='{Room}/Curtis' to='{_h.ProxyJidOf(Kev)}'><body>in flight</body></message>");
        Assert.That(_h.TakeSent(), Is.Empty);
        await _h.SendAsync($"<presence type='unavailable' from='{Room}/Kev' to='{_h.ProxyJidOf(Kev)}'><x xmlns='{MucUser}'><status code='110'/></x></presence>");
        Assert.That(_h.TakeSent().Select(To), Is.EqualTo(new[] { Kev }));
    }

    [TestCase(MasterKind.Fmuc)]
    [TestCase(MasterKind.Plain)]
    public async Task The_room_stays_while_one_local_session_is_left(MasterKind master)
    {
        await _h.JoinAsync(Kev, "Kev");
        await _h.JoinAsync(Ann, "Ann");
        await _h.SendAsync($"<presence type='unavailable' from='{Kev}' to='{Proxy}/Kev'/>");
        _h.TakeSent();
        await MasterBroadcastsOwnPresenceAsync(master, Kev, "Kev", others: Ann, type: "unavailable");
        Assert.That(_h.TakeSent().Select(To), Is.EqualTo(new[] { Ann, Kev }), "Ann sees Kev go once; Kev gets his 110");

        if (master == MasterKind.Fmuc)
            await _h.SendAsync($"<message type='groupchat' from='{Room}/Curtis' to='{Proxy}'><body>still here</body></message>");
        else
            await _h.SendAsync($"<message type='groupchat' from='{Room}/Curtis' to='{_h.ProxyJidOf(Ann)}'><body>still here</body></message>");
        Assert.That(_h.TakeSent().Select(To), Is.EqualTo(new[] { Ann }));
        Assert.That(_h.Mirror.RoomCount, Is.EqualTo(1));
    }

    [Test]
    public async Task A_kick_ends_the_session()
    {
        await _h.JoinAsync(Kev, "Kev");
        _h.TakeSent();
        await _h.SendAsync($"<presence type='unavailable' from='{Room}/Kev' to='{_h.ProxyJidOf(Kev)}'><x xmlns='{MucUser}'>" +
                           "<item affiliation='none' role='none'/><status code='307'/><status code='110'/></x></presence>");
        Assert.That(Codes(_h.TakeSent().Single()), Does.Contain("307"));
        Assert.That(_h.Mirror.RoomCount, Is.Zero);
    }

    [Test]
    public async Task When_a_delivery_to_a_local_client_bounces_the_mirror_leaves_for_that_session()
    {
        await _h.JoinAsync(Kev, "Kev");
        await _h.JoinAsync(Ann, "Ann");
        _h.TakeSent();
        await _h.SendAsync($"<message type='error' id='g1' from='{Kev}' to='{Proxy}/Curtis'><error type='cancel'>" +
                           "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
        XmlAssert.AreEqual($"<presence xmlns='jabber:component:accept' from='{_h.ProxyJidOf(Kev)}' to='{Room}/Kev' type='unavailable'/>", _h.TakeSent().Single());

        await _h.SendAsync($"<message type='groupchat' from='{Room}/Curtis' to='{Proxy}'><body>who is left?</body></message>");
        Assert.That(_h.TakeSent().Select(To), Is.EqualTo(new[] { Ann }), "the gone client gets nothing more");
    }

    [Test]
    public async Task A_rejoin_asks_the_master_again_and_keeps_the_session()
    {
        await _h.JoinAsync(Kev, "Kev");
        _h.TakeSent();
        await _h.SendAsync($"<presence from='{Kev}' to='{Proxy}/Kev'><x xmlns='{Muc}'/></presence>");
        var up = _h.TakeSent().Single();
        Assert.That(To(up), Is.EqualTo($"{Room}/Kev"));
        Assert.That(up.Element(XName.Get("fmuc", Fmuc)), Is.Not.Null);
    }

    [Test]
    public async Task A_join_needs_the_muc_element_and_a_nick_and_a_user_of_this_server()
    {
        await _h.SendAsync($"<presence id='a' from='{Kev}' to='{Proxy}/Kev'/>");
        await _h.SendAsync($"<presence id='b' from='{Kev}' to='{Proxy}'><x xmlns='{Muc}'/></presence>");
        await _h.SendAsync($"<presence id='c' from='eve@gamma.test/x' to='{Proxy}/Eve'><x xmlns='{Muc}'/></presence>");
        var sent = _h.TakeSent().ToDictionary(e => e.GetId()!, e => Condition(e));
        Assert.That(sent, Is.EqualTo(new Dictionary<string, StanzaErrorCondition?>
        {
            ["a"] = StanzaErrorCondition.ItemNotFound,
            ["b"] = StanzaErrorCondition.JidMalformed,
            ["c"] = StanzaErrorCondition.Forbidden,
        }));
        Assert.That(_h.Mirror.RoomCount, Is.Zero);
    }

    [Test]
    public async Task Mirror_users_may_be_widened_in_configuration()
    {
        var h = new MirrorHarness(("Mirror:Users", "gamma.test, beta.test"));
        await h.SendAsync($"<presence from='eve@gamma.test/x' to='{Proxy}/Eve'><x xmlns='{Muc}'/></presence>");
        Assert.That(To(h.TakeSent().Single()), Is.EqualTo($"{Room}/Eve"));
    }
}
