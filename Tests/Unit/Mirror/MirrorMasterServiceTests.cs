using System.Xml.Linq;
using XmppGroupChat.Mirror.Fmuc;
using XmppGroupChat.Xmpp;
using static XmppGroupChat.Tests.Unit.Mirror.MirrorTestKit;

namespace XmppGroupChat.Tests.Unit.Mirror;

/// <summary>
/// The real user's JID goes upstream (&lt;fmuc from/&gt;) only to a master service that says it
/// speaks FMUC in disco#info: a plain MUC would broadcast the element to the room. The first join
/// for a service waits for the answer; errors and silence mean a plain MUC; answers are remembered.
/// </summary>
[TestFixture]
public sealed class MirrorMasterServiceTests
{
    private const string Service = "muc.alpha.test";
    private MirrorHarness _h = null!;

    [SetUp]
    public void SetUp() => _h = new MirrorHarness { MasterSpeaksFmuc = null };

    private Task JoinAsync(string user, string nick, string room = Room, string payload = "", string id = "j1") =>
        _h.SendAsync($"<presence id='{id}' from='{user}' to='{ProxyAddress.Of(Jid.Parse(room), Jid.Parse(MirrorHarness.Domain))}/{nick}'>" +
                     $"<x xmlns='{Muc}'/>{payload}</presence>");

    /// <summary>The one stanza the mirror sent: its question to the service.</summary>
    private XElement TakeQuestion()
    {
        var sent = _h.TakeSent();
        Assert.That(sent, Has.Count.EqualTo(1), string.Join("\n", sent));
        Assert.That(MirrorHarness.IsDiscoInfoRequest(sent[0]), Is.True, sent[0].ToString());
        return sent[0];
    }

    [Test]
    public async Task The_first_join_asks_the_service_and_goes_upstream_naming_the_user_when_it_speaks_fmuc()
    {
        await JoinAsync(Kev, "Kev");
        var ask = TakeQuestion();
        XmlAssert.AreEqual($"""
            <iq xmlns='jabber:component:accept' type='get' id='{ask.GetId()}' from='mirror.beta.test' to='{Service}'>
              <query xmlns='http://jabber.org/protocol/disco#info'/>
            </iq>
            """, ask);

        await _h.DispatchAsync(MirrorHarness.DiscoAnswer(ask, fmuc: true));
        XmlAssert.AreEqual($"""
            <presence xmlns='jabber:component:accept' id='j1' from='{_h.ProxyJidOf(Kev)}' to='{Room}/Kev'>
              <x xmlns='{Muc}'/>
              <fmuc xmlns='{Fmuc}' from='{Kev}'/>
            </presence>
            """, _h.TakeSent().Single());
    }

    [Test]
    public async Task A_plain_muc_never_sees_the_real_jid()
    {
        await JoinAsync(Kev, "Kev", payload: $"<fmuc xmlns='{Fmuc}' from='{Kev}'/>");
        await _h.DispatchAsync(MirrorHarness.DiscoAnswer(TakeQuestion(), fmuc: false));
        XmlAssert.AreEqual($"""
            <presence xmlns='jabber:component:accept' id='j1' from='{_h.ProxyJidOf(Kev)}' to='{Room}/Kev'>
              <x xmlns='{Muc}'/>
            </presence>
            """, _h.TakeSent().Single());
    }

    [Test]
    public async Task A_disco_error_means_a_plain_muc()
    {
        await JoinAsync(Kev, "Kev");
        var ask = TakeQuestion();
        await _h.SendAsync($"<iq type='error' id='{ask.GetId()}' from='{Service}' to='mirror.beta.test'><query xmlns='http://jabber.org/protocol/disco#info'/>" +
                           "<error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
        var join = _h.TakeSent().Single();
        Assert.That(To(join), Is.EqualTo($"{Room}/Kev"));
        Assert.That(join.Element(XName.Get("fmuc", Fmuc)), Is.Null);
    }

    [Test]
    public async Task No_answer_in_time_means_a_plain_muc_and_the_held_join_still_goes()
    {
        await JoinAsync(Kev, "Kev");
        TakeQuestion();
        _h.Time.Advance(MasterServices.AskTimeout - TimeSpan.FromSeconds(1));
        Assert.That(_h.TakeSent(), Is.Empty, "still waiting");

        _h.Time.Advance(TimeSpan.FromSeconds(1));
        var join = _h.TakeSent().Single();
        Assert.That(To(join), Is.EqualTo($"{Room}/Kev"));
        Assert.That(join.Element(XName.Get("fmuc", Fmuc)), Is.Null);
    }

    [Test]
    public async Task Joins_while_the_question_is_out_wait_and_go_in_order_after_one_answer()
    {
        const string other = "other@muc.alpha.test";
        await JoinAsync(Kev, "Kev", id: "k");
        var ask = TakeQuestion();
        await JoinAsync(Ann, "Ann", id: "a");
        await JoinAsync(Bob, "Bob", room: other, id: "b");
        Assert.That(_h.TakeSent(), Is.Empty, "one question per service, and nothing goes upstream before the answer");

        await _h.DispatchAsync(MirrorHarness.DiscoAnswer(ask, fmuc: true));
        var joins = _h.TakeSent();
        Assert.That(joins.Select(e => e.GetId()), Is.EquivalentTo(new[] { "k", "a", "b" }));
        Assert.That(joins.Select(e => e.GetId()).Where(id => id != "b"), Is.EqualTo(new[] { "k", "a" }), "in the order the users joined");
        Assert.That(joins.Single(e => e.GetId() == "b").Attribute("to")!.Value, Is.EqualTo($"{other}/Bob"));
        Assert.That(joins.Select(e => e.Element(XName.Get("fmuc", Fmuc))), Is.All.Not.Null);
        Assert.That(_h.Time.PendingTimers, Is.Zero, "the answer stopped the timeout");
    }

    [Test]
    public async Task Answers_are_remembered_per_service_for_an_hour_and_silence_for_five_minutes()
    {
        await JoinAsync(Kev, "Kev");
        await _h.DispatchAsync(MirrorHarness.DiscoAnswer(TakeQuestion(), fmuc: true));
        _h.TakeSent();

        _h.Time.Advance(MasterServices.AnswerLifetime - TimeSpan.FromMinutes(1));
        await JoinAsync(Ann, "Ann", room: "other@muc.alpha.test");
        Assert.That(_h.TakeSent().Single().Element(XName.Get("fmuc", Fmuc)), Is.Not.Null, "known: no question");

        _h.Time.Advance(TimeSpan.FromMinutes(1));
        await JoinAsync(Bob, "Bob", room: "third@muc.alpha.test");
        TakeQuestion();
        _h.Time.Advance(MasterServices.AskTimeout);
        Assert.That(_h.TakeSent().Single().Element(XName.Get("fmuc", Fmuc)), Is.Null, "asked again; no answer: plain");

        _h.Time.Advance(MasterServices.NoAnswerLifetime - TimeSpan.FromSeconds(1));
        await JoinAsync("eve@beta.test/x", "Eve", room: "fourth@muc.alpha.test");
        Assert.That(To(_h.TakeSent().Single()), Is.EqualTo("fourth@muc.alpha.test/Eve"), "silence is remembered too");
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        await JoinAsync("zed@beta.test/x", "Zed", room: "fifth@muc.alpha.test");
        TakeQuestion();
    }

    [Test]
    public async Task A_rejoin_of_a_session_the_master_knows_never_waits()
    {
        await JoinAsync(Kev, "Kev");
        await _h.DispatchAsync(MirrorHarness.DiscoAnswer(TakeQuestion(), fmuc: true));
        _h.TakeSent();
        _h.Time.Advance(MasterServices.AnswerLifetime + TimeSpan.FromMinutes(1));

        await JoinAsync(Kev, "Kev", id: "again");
        var rejoin = _h.TakeSent().Single();
        Assert.That(rejoin.GetId(), Is.EqualTo("again"), "sent at once with the last answer, old as it is");
        Assert.That(rejoin.Element(XName.Get("fmuc", Fmuc)), Is.Not.Null);
        await _h.SendAsync($"<presence type='unavailable' from='{Kev}' to='{Proxy}/Kev'/>");
        Assert.That(To(_h.TakeSent().Single()), Is.EqualTo($"{Room}/Kev"), "and a leave reaches the master");
    }

    [Test]
    public async Task Leaving_before_the_answer_sends_nothing_upstream_and_the_user_is_told_it_is_out()
    {
        await JoinAsync(Kev, "Kev");
        var ask = TakeQuestion();
        await _h.SendAsync($"<presence type='unavailable' from='{Kev}' to='{Proxy}/Kev'/>");
        XmlAssert.AreEqual($"""
            <presence xmlns='jabber:component:accept' from='{Proxy}/Kev' to='{Kev}' type='unavailable'>
              <x xmlns='{MucUser}'><item affiliation='none' role='none'/><status code='110'/></x>
            </presence>
            """, _h.TakeSent().Single());
        Assert.That(_h.Mirror.RoomCount, Is.Zero);

        await _h.DispatchAsync(MirrorHarness.DiscoAnswer(ask, fmuc: true));
        Assert.That(_h.TakeSent(), Is.Empty, "the join is gone with the user");
    }

    [Test]
    public async Task A_status_change_before_the_answer_rides_on_the_held_join()
    {
        await JoinAsync(Kev, "Kev");
        var ask = TakeQuestion();
        await _h.SendAsync($"<presence id='s1' from='{Kev}' to='{Proxy}/Kev'><show>away</show></presence>");
        Assert.That(_h.TakeSent(), Is.Empty);

        await _h.DispatchAsync(MirrorHarness.DiscoAnswer(ask, fmuc: false));
        XmlAssert.AreEqual($"""
            <presence xmlns='jabber:component:accept' id='s1' from='{_h.ProxyJidOf(Kev)}' to='{Room}/Kev'>
              <show>away</show>
              <x xmlns='{Muc}'/>
            </presence>
            """, _h.TakeSent().Single());
    }

    [Test]
    public async Task An_answer_from_another_address_or_to_no_question_changes_nothing()
    {
        await JoinAsync(Kev, "Kev");
        var ask = TakeQuestion();
        var forged = MirrorHarness.DiscoAnswer(ask, fmuc: true);
        forged.SetAttributeValue("from", "evil.test");
        await _h.DispatchAsync(forged);
        var stray = MirrorHarness.DiscoAnswer(ask, fmuc: true);
        stray.SetAttributeValue("id", "fmuc-disco-other");
        await _h.DispatchAsync(stray);
        Assert.That(_h.TakeSent(), Is.Empty, "no answer to a reply, and the join still waits");

        await _h.DispatchAsync(MirrorHarness.DiscoAnswer(ask, fmuc: false));
        Assert.That(_h.TakeSent().Single().Element(XName.Get("fmuc", Fmuc)), Is.Null);
    }
}
