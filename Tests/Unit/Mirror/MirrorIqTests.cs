using XmppGroupChat.Xmpp;
using static XmppGroupChat.Tests.Unit.Mirror.MirrorTestKit;

namespace XmppGroupChat.Tests.Unit.Mirror;

/// <summary>IQs through the proxy room: relayed from the session's proxy JID, answered back under the user's id.</summary>
[TestFixture]
public sealed class MirrorIqTests
{
    private const string DiscoInfo = "http://jabber.org/protocol/disco#info";
    private MirrorHarness _h = null!;

    [SetUp]
    public async Task SetUp()
    {
        _h = new MirrorHarness();
        await _h.JoinAsync(Kev, "Kev");
        _h.TakeSent();
    }

    [Test]
    public async Task A_joined_users_disco_goes_to_the_master_and_the_answer_comes_back_from_the_proxy_room()
    {
        await _h.SendAsync($"<iq type='get' id='d1' from='{Kev}' to='{Proxy}'><query xmlns='{DiscoInfo}'/></iq>");
        var up = _h.TakeSent().Single();
        var relayId = up.GetId()!;
        Assert.That(relayId, Is.Not.EqualTo("d1"));
        XmlAssert.AreEqual($"<iq xmlns='jabber:component:accept' type='get' id='{relayId}' from='{_h.ProxyJidOf(Kev)}' to='{Room}'><query xmlns='{DiscoInfo}'/></iq>", up);

        await _h.SendAsync($"<iq type='result' id='{relayId}' from='{Room}' to='{_h.ProxyJidOf(Kev)}'><query xmlns='{DiscoInfo}'>" +
                           "<identity category='conference' type='text' name='Room'/><feature var='http://jabber.org/protocol/muc'/></query></iq>");
        XmlAssert.AreEqual($"""
            <iq xmlns='jabber:component:accept' type='result' id='d1' from='{Proxy}' to='{Kev}'>
              <query xmlns='{DiscoInfo}'><identity category='conference' type='text' name='Room'/><feature var='http://jabber.org/protocol/muc'/></query>
            </iq>
            """, _h.TakeSent().Single());
    }

    [Test]
    public async Task A_mam_query_brings_its_results_in_order_with_addresses_rewritten()
    {
        await _h.SendAsync($"<iq type='set' id='q1' from='{Kev}' to='{Proxy}'><query xmlns='urn:xmpp:mam:2' queryid='f27'/></iq>");
        var relayId = _h.TakeSent().Single().GetId();
        await _h.SendAsync($"<message from='{Room}' to='{_h.ProxyJidOf(Kev)}'><result xmlns='urn:xmpp:mam:2' queryid='f27' id='a1'>" +
                           "<forwarded xmlns='urn:xmpp:forward:0'><delay xmlns='urn:xmpp:delay' stamp='2020-01-01T10:00:00Z'/>" +
                           $"<message xmlns='jabber:client' type='groupchat' from='{Room}/Curtis'><body>archived</body></message></forwarded></result></message>");
        await _h.SendAsync($"<iq type='result' id='{relayId}' from='{Room}' to='{_h.ProxyJidOf(Kev)}'><fin xmlns='urn:xmpp:mam:2' complete='true'/></iq>");
        var sent = _h.TakeSent();
        Assert.That(sent.Select(e => e.Name.LocalName), Is.EqualTo(new[] { "message", "iq" }));
        Assert.That(From(sent[0]), Is.EqualTo(Proxy));
        Assert.That(sent[0].Descendants(Ns.Client + "message").Single().Attribute("from")!.Value, Is.EqualTo($"{Proxy}/Curtis"));
        Assert.That(sent[1].GetId(), Is.EqualTo("q1"));
        Assert.That(To(sent[1]), Is.EqualTo(Kev));
    }

    [Test]
    public async Task An_error_answer_is_relayed_too()
    {
        await _h.SendAsync($"<iq type='set' id='q2' from='{Kev}' to='{Proxy}'><query xmlns='urn:xmpp:mam:2'/></iq>");
        var relayId = _h.TakeSent().Single().GetId();
        await _h.SendAsync($"<iq type='error' id='{relayId}' from='{Room}' to='{_h.ProxyJidOf(Kev)}'><query xmlns='urn:xmpp:mam:2'/>" +
                           "<error type='cancel'><feature-not-implemented xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
        var answer = _h.TakeSent().Single();
        Assert.That(answer.GetId(), Is.EqualTo("q2"));
        Assert.That(Condition(answer), Is.EqualTo(StanzaErrorCondition.FeatureNotImplemented));
    }

    [Test]
    public async Task An_answer_from_anyone_but_the_master_is_dropped()
    {
        await _h.SendAsync($"<iq type='get' id='d2' from='{Kev}' to='{Proxy}'><query xmlns='{DiscoInfo}'/></iq>");
        var relayId = _h.TakeSent().Single().GetId();
        await _h.SendAsync($"<iq type='result' id='{relayId}' from='{Ann}' to='{_h.ProxyJidOf(Kev)}'><query xmlns='{DiscoInfo}'/></iq>");
        Assert.That(_h.TakeSent(), Is.Empty);
    }

    [Test]
    public async Task A_user_who_has_not_joined_may_only_look_at_the_room()
    {
        await _h.SendAsync($"<iq type='set' id='q3' from='{Ann}' to='{Proxy}'><query xmlns='urn:xmpp:mam:2'/></iq>");
        Assert.That(Condition(_h.TakeSent().Single()), Is.EqualTo(StanzaErrorCondition.NotAcceptable));

        // Clients look at a room before entering it: asked from the proxy room itself.
        await _h.SendAsync($"<iq type='get' id='d3' from='{Ann}' to='{Proxy}'><query xmlns='{DiscoInfo}'/></iq>");
        var up = _h.TakeSent().Single();
        Assert.That(From(up), Is.EqualTo(Proxy));
        await _h.SendAsync($"<iq type='result' id='{up.GetId()}' from='{Room}' to='{Proxy}'><query xmlns='{DiscoInfo}'/></iq>");
        var answer = _h.TakeSent().Single();
        Assert.That((To(answer), answer.GetId(), From(answer)), Is.EqualTo((Ann, "d3", Proxy)));
    }

    [Test]
    public async Task A_self_ping_goes_to_the_users_occupant_jid()
    {
        await _h.SendAsync($"<iq type='get' id='sp' from='{Kev}' to='{Proxy}/Kev'><ping xmlns='urn:xmpp:ping'/></iq>");
        var up = _h.TakeSent().Single();
        Assert.That((From(up), To(up)), Is.EqualTo((_h.ProxyJidOf(Kev), $"{Room}/Kev")));
        await _h.SendAsync($"<iq type='result' id='{up.GetId()}' from='{Room}/Kev' to='{_h.ProxyJidOf(Kev)}'/>");
        var answer = _h.TakeSent().Single();
        Assert.That((From(answer), To(answer), answer.GetId()), Is.EqualTo(($"{Proxy}/Kev", Kev, "sp")));
    }

    [Test]
    public async Task A_request_the_master_relays_to_the_session_reaches_the_user_and_the_answer_goes_back()
    {
        await _h.SendAsync($"<iq type='get' id='v1' from='{Room}/Curtis' to='{_h.ProxyJidOf(Kev)}'><vCard xmlns='vcard-temp'/></iq>");
        var down = _h.TakeSent().Single();
        Assert.That((From(down), To(down)), Is.EqualTo(($"{Proxy}/Curtis", Kev)));
        await _h.SendAsync($"<iq type='result' id='{down.GetId()}' from='{Kev}' to='{Proxy}/Curtis'><vCard xmlns='vcard-temp'><FN>Kev</FN></vCard></iq>");
        XmlAssert.AreEqual($"<iq xmlns='jabber:component:accept' type='result' id='v1' from='{_h.ProxyJidOf(Kev)}' to='{Room}/Curtis'><vCard xmlns='vcard-temp'><FN>Kev</FN></vCard></iq>",
            _h.TakeSent().Single());
    }

    [Test]
    public async Task A_request_to_an_address_with_no_session_behind_it_is_refused()
    {
        await _h.SendAsync($"<iq type='get' id='v2' from='{Room}/Curtis' to='{Proxy}/nosuchsession'><vCard xmlns='vcard-temp'/></iq>");
        Assert.That(Condition(_h.TakeSent().Single()), Is.EqualTo(StanzaErrorCondition.ServiceUnavailable));
    }
}
