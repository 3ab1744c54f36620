using System.Xml.Linq;
using XmppGroupChat.Xmpp;
using SessionState = XmppGroupChat.Mirror.Fmuc.SessionState;
using static XmppGroupChat.Tests.Unit.Mirror.MirrorTestKit;

namespace XmppGroupChat.Tests.Unit.Mirror;

/// <summary>
/// The master restarted and forgot the sessions behind the mirror. When it refuses a joined
/// session's stanza with "you are not an occupant", the mirror joins again for the session
/// silently and sends the refused stanza once more; the room check finds it out unprompted.
/// </summary>
[TestFixture]
public sealed class MirrorMasterRestartTests
{
    private const string NotAnOccupant = "<error type='modify'><not-acceptable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>" +
                                         "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>only occupants may send messages to the room</text></error>";
    private const string Gone = "<error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>";

    private MirrorHarness _h = null!;

    [TearDown]
    public async Task TearDown() => await _h.DisposeAsync();

    private async Task KevAndAnnIn(params (string Key, string Value)[] settings)
    {
        _h = new MirrorHarness(settings);
        await _h.JoinAsync(Kev, "Kev");
        await _h.JoinAsync(Ann, "Ann");
        _h.TakeSent();
    }

    private static XElement WithoutId(XElement stanza)
    {
        var copy = new XElement(stanza);
        copy.SetAttributeValue("id", null);
        return copy;
    }

    private string SilentJoin(string user, string nick) => $"""
        <presence xmlns='jabber:component:accept' from='{_h.ProxyJidOf(user)}' to='{Room}/{nick}'>
          <x xmlns='{Muc}'><history maxstanzas='0'/></x><fmuc xmlns='{Fmuc}' from='{user}'/>
        </presence>
        """;

    /// <summary>The master's entry burst for a rejoin: another occupant, the self-presence, the subject.</summary>
    private async Task MasterAcceptsRejoin(string user, string nick)
    {
        var proxy = _h.ProxyJidOf(user);
        await _h.SendAsync($"<presence from='{Room}/Curtis' to='{proxy}'><x xmlns='{MucUser}'><item affiliation='owner' role='moderator'/></x></presence>");
        await _h.SendAsync($"<presence from='{Room}/{nick}' to='{proxy}'><x xmlns='{MucUser}'>" +
                           "<item affiliation='none' role='participant'/><status code='110'/></x></presence>");
        await _h.SendAsync($"<message type='groupchat' id='subj' from='{Room}/Curtis' to='{proxy}'><subject>Spells</subject></message>");
    }

    [Test]
    public async Task A_refused_message_brings_a_silent_rejoin_and_goes_again_once()
    {
        await KevAndAnnIn();
        var kevProxy = _h.ProxyJidOf(Kev);
        await _h.SendAsync($"<message type='groupchat' id='k1' from='{Kev}' to='{Proxy}'><body>Anyone?</body></message>");
        _h.TakeSent();

        await _h.SendAsync($"<message type='error' id='k1' from='{Room}' to='{kevProxy}'>{NotAnOccupant}</message>");
        var sent = _h.TakeSent();
        Assert.That(sent, Has.Count.EqualTo(1), "a join upstream, nothing to the user");
        XmlAssert.AreEqual(SilentJoin(Kev, "Kev"), WithoutId(sent[0]));

        await MasterAcceptsRejoin(Kev, "Kev");
        XmlAssert.AreEqual($"""
            <message xmlns='jabber:component:accept' type='groupchat' id='k1' from='{kevProxy}' to='{Room}'><body>Anyone?</body></message>
            """, _h.TakeSent().Single());

        // The master's copy comes back: each local user sees the message once.
        await _h.SendAsync($"<message type='groupchat' id='k1' from='{Room}/Kev' to='{Proxy}'><body>Anyone?</body></message>");
        sent = _h.TakeSent();
        Assert.That(sent.Select(To), Is.EquivalentTo(new[] { Kev, Ann }));
        Assert.That(sent.Select(Body), Is.All.EqualTo("Anyone?"));
    }

    [Test]
    public async Task A_message_refused_again_after_the_rejoin_reaches_the_user_as_an_error()
    {
        await KevAndAnnIn();
        var kevProxy = _h.ProxyJidOf(Kev);
        await _h.SendAsync($"<message type='groupchat' id='k1' from='{Kev}' to='{Proxy}'><body>Anyone?</body></message>");
        _h.TakeSent();
        await _h.SendAsync($"<message type='error' id='k1' from='{Room}' to='{kevProxy}'>{NotAnOccupant}</message>");
        await MasterAcceptsRejoin(Kev, "Kev");
        Assert.That(_h.TakeSent().Where(e => e.Name.LocalName == "message").Select(To), Is.EqualTo(new[] { Room }), "resent once");

        await _h.SendAsync($"<message type='error' id='k1' from='{Room}' to='{kevProxy}'>{NotAnOccupant}</message>");
        var error = _h.TakeSent().Single();
        XmlAssert.AreEqual($"""
            <message xmlns='jabber:component:accept' type='error' id='k1' from='{Proxy}' to='{Kev}'>{NotAnOccupant}</message>
            """, error);
        Assert.That(_h.Mirror.Find(Jid.Parse(Room))!.FindByLocal(Jid.Parse(Kev))!.State, Is.EqualTo(SessionState.Joined), "still in the room");
    }

    [Test]
    public async Task A_visitors_forbidden_is_relayed_and_nothing_joins_again()
    {
        await KevAndAnnIn();
        await _h.SendAsync($"<message type='groupchat' id='k1' from='{Kev}' to='{Proxy}'><body>Let me speak</body></message>");
        _h.TakeSent();
        await _h.SendAsync($"<message type='error' id='k1' from='{Room}' to='{_h.ProxyJidOf(Kev)}'>" +
                           "<error type='auth'><forbidden xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
        var error = _h.TakeSent().Single();
        Assert.That(To(error), Is.EqualTo(Kev));
        Assert.That(From(error), Is.EqualTo(Proxy));
        Assert.That(Condition(error), Is.EqualTo(StanzaErrorCondition.Forbidden));
    }

    [Test]
    public async Task A_private_message_to_someone_gone_is_the_users_error_and_nothing_joins_again()
    {
        await KevAndAnnIn();
        await _h.SendAsync($"<message type='chat' id='p1' from='{Kev}' to='{Proxy}/Zed'><body>psst</body></message>");
        _h.TakeSent();
        await _h.SendAsync($"<message type='error' id='p1' from='{Room}/Zed' to='{_h.ProxyJidOf(Kev)}'>{Gone}</message>");
        var error = _h.TakeSent().Single();
        Assert.That(To(error), Is.EqualTo(Kev));
        Assert.That(From(error), Is.EqualTo(Proxy + "/Zed"));
        Assert.That(Condition(error), Is.EqualTo(StanzaErrorCondition.ItemNotFound));
    }

    [Test]
    public async Task A_refused_status_change_brings_a_silent_rejoin_with_the_new_status()
    {
        await KevAndAnnIn();
        var kevProxy = _h.ProxyJidOf(Kev);
        await _h.SendAsync($"<presence id='s1' from='{Kev}' to='{Proxy}/Kev'><show>dnd</show></presence>");
        _h.TakeSent();
        await _h.SendAsync($"<presence type='error' id='s1' from='{Room}/Kev' to='{kevProxy}'>{Gone}</presence>");
        var join = _h.TakeSent().Single();
        XmlAssert.AreEqual($"""
            <presence xmlns='jabber:component:accept' from='{kevProxy}' to='{Room}/Kev'>
              <show>dnd</show><x xmlns='{Muc}'><history maxstanzas='0'/></x><fmuc xmlns='{Fmuc}' from='{Kev}'/>
            </presence>
            """, WithoutId(join));
        await MasterAcceptsRejoin(Kev, "Kev");
        Assert.That(_h.TakeSent(), Is.Empty, "nothing of the rejoin reaches the user");
        Assert.That(_h.Mirror.Find(Jid.Parse(Room))!.FindByLocal(Jid.Parse(Kev))!.State, Is.EqualTo(SessionState.Joined));
    }

    [Test]
    public async Task A_users_self_ping_goes_upstream_and_a_refusal_brings_a_silent_rejoin_and_the_ping_again()
    {
        await KevAndAnnIn();
        var kevProxy = _h.ProxyJidOf(Kev);
        await _h.SendAsync($"<iq type='get' id='sp1' from='{Kev}' to='{Proxy}/Kev'><ping xmlns='urn:xmpp:ping'/></iq>");
        var ping = _h.TakeSent().Single();
        Assert.That(From(ping), Is.EqualTo(kevProxy));
        Assert.That(To(ping), Is.EqualTo(Room + "/Kev"), "relayed to the master, not answered here");

        await _h.SendAsync($"<iq type='error' id='{ping.GetId()}' from='{Room}/Kev' to='{kevProxy}'><ping xmlns='urn:xmpp:ping'/>{NotAnOccupant}</iq>");
        XmlAssert.AreEqual(SilentJoin(Kev, "Kev"), WithoutId(_h.TakeSent().Single()));
        await MasterAcceptsRejoin(Kev, "Kev");
        var again = _h.TakeSent().Single();
        Assert.That(To(again), Is.EqualTo(Room + "/Kev"));
        Assert.That(again.Element(Ns.Ping + "ping"), Is.Not.Null);

        await _h.SendAsync($"<iq type='result' id='{again.GetId()}' from='{Room}/Kev' to='{kevProxy}'/>");
        XmlAssert.AreEqual($"<iq xmlns='jabber:component:accept' type='result' id='sp1' from='{Proxy}/Kev' to='{Kev}'/>", _h.TakeSent().Single());
    }

    [Test]
    public async Task The_room_check_self_pings_once_per_room_and_a_refusal_rejoins_every_session_silently()
    {
        await KevAndAnnIn(("Mirror:RoomCheckSeconds", "60"));
        _h.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.That(_h.TakeSent(), Is.Empty);
        _h.Time.Advance(TimeSpan.FromSeconds(1));
        var ping = _h.TakeSent().Single();
        XmlAssert.AreEqual($"<iq xmlns='jabber:component:accept' type='get' from='{_h.ProxyJidOf(Kev)}' to='{Room}/Kev'><ping xmlns='urn:xmpp:ping'/></iq>",
            WithoutId(ping));

        // A master that still has them answers, and that is all.
        await _h.SendAsync($"<iq type='result' id='{ping.GetId()}' from='{Room}/Kev' to='{_h.ProxyJidOf(Kev)}'/>");
        Assert.That(_h.TakeSent(), Is.Empty);

        // One that restarted forgot them all.
        _h.Time.Advance(TimeSpan.FromSeconds(60));
        ping = _h.TakeSent().Single();
        await _h.SendAsync($"<iq type='error' id='{ping.GetId()}' from='{Room}/Kev' to='{_h.ProxyJidOf(Kev)}'><ping xmlns='urn:xmpp:ping'/>{NotAnOccupant}</iq>");
        var joins = _h.TakeSent();
        Assert.That(joins, Has.Count.EqualTo(2), "a join for each session, nothing to the users");
        XmlAssert.AreEqual(SilentJoin(Kev, "Kev"), WithoutId(joins[0]));
        XmlAssert.AreEqual(SilentJoin(Ann, "Ann"), WithoutId(joins[1]));

        // No check while the rejoins are under way.
        _h.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.That(_h.TakeSent(), Is.Empty);

        await MasterAcceptsRejoin(Kev, "Kev");
        await MasterAcceptsRejoin(Ann, "Ann");
        Assert.That(_h.TakeSent(), Is.Empty, "nothing of the rejoins reaches the users");

        await _h.SendAsync($"<message type='groupchat' id='m1' from='{Room}/Curtis' to='{Proxy}'><body>Back?</body></message>");
        Assert.That(_h.TakeSent().Select(To), Is.EquivalentTo(new[] { Kev, Ann }));
    }
}
