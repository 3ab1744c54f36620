using System.Xml.Linq;
using XmppGroupChat.Xmpp;
using static XmppGroupChat.Tests.Unit.Mirror.MirrorTestKit;

namespace XmppGroupChat.Tests.Unit.Mirror;

/// <summary>
/// A mirror restarted on the same storage loses no participant: each joined session is restored
/// and its presence goes upstream again as a plain status update; a master that forgot the
/// session gets a join asking for no history, and the user sees nothing of the new entry.
/// </summary>
[TestFixture]
public sealed class MirrorRestartTests
{
    private MirrorHarness _h = null!;

    [TearDown]
    public async Task TearDown() => await _h.DisposeAsync();

    private async Task KevJoinsAway(bool fmuc = true)
    {
        _h = await MirrorHarness.WithStorageAsync(fmuc);
        await _h.SendAsync($"<presence from='{Kev}' to='{Proxy}/Kev'><x xmlns='{Muc}'/><show>away</show><status>brewing</status></presence>");
        await _h.SendAsync($"<presence from='{Room}/Kev' to='{_h.ProxyJidOf(Kev)}'><x xmlns='{MucUser}'>" +
                           "<item affiliation='none' role='participant'/><status code='110'/></x><show>away</show><status>brewing</status></presence>");
        _h.TakeSent();
    }

    private static XElement WithoutId(XElement stanza)
    {
        Assert.That(stanza.GetId(), Is.Not.Null.And.Not.Empty, "re-asserted presences carry an id, for the master's error to quote");
        var copy = new XElement(stanza);
        copy.SetAttributeValue("id", null);
        return copy;
    }

    [Test]
    public async Task A_restored_session_reasserts_its_status_and_a_master_that_still_has_it_goes_on_as_before()
    {
        await KevJoinsAway();
        var kevProxy = _h.ProxyJidOf(Kev);

        _h = await _h.RestartAsync();
        var sent = _h.TakeSent();
        Assert.That(sent, Has.Count.EqualTo(1), "one status update upstream, nothing to the user");
        XmlAssert.AreEqual($"""
            <presence xmlns='jabber:component:accept' from='{kevProxy}' to='room@muc.alpha.test/Kev'>
              <show>away</show><status>brewing</status>
            </presence>
            """, WithoutId(sent[0]));

        // The master never noticed: its broadcast of the status is all that comes back.
        await _h.SendAsync($"<presence from='{Room}/Kev' to='{kevProxy}'><x xmlns='{MucUser}'>" +
                           "<item affiliation='none' role='participant'/><status code='110'/></x><show>away</show><status>brewing</status></presence>");
        await _h.SendAsync($"<message type='groupchat' id='m1' from='{Room}/Curtis' to='{Proxy}'><body>Still here?</body></message>");
        sent = _h.TakeSent();
        Assert.That(sent.Select(To), Is.EqualTo(new[] { Kev, Kev }));
        Assert.That(Codes(sent[0]), Does.Contain("110"));
        XmlAssert.AreEqual($"""
            <message xmlns='jabber:component:accept' type='groupchat' id='m1' from='{Proxy}/Curtis' to='{Kev}'><body>Still here?</body></message>
            """, sent[1]);

        await _h.SendAsync($"<message type='groupchat' id='k1' from='{Kev}' to='{Proxy}'><body>Yes</body></message>");
        XmlAssert.AreEqual($"""
            <message xmlns='jabber:component:accept' type='groupchat' id='k1' from='{kevProxy}' to='{Room}'><body>Yes</body></message>
            """, _h.TakeSent().Single());
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task A_master_that_forgot_the_session_gets_a_silent_rejoin_asking_for_no_history(bool fmuc)
    {
        await KevJoinsAway(fmuc);
        var kevProxy = _h.ProxyJidOf(Kev);

        _h = await _h.RestartAsync();
        var reassert = _h.TakeSent().Single();
        await _h.SendAsync($"<presence type='error' id='{reassert.GetId()}' from='{Room}/Kev' to='{kevProxy}'>" +
                           "<error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>");
        var sent = _h.TakeSent();
        Assert.That(sent, Has.Count.EqualTo(1), "a join upstream, nothing to the user");
        var fmucElement = fmuc ? $"<fmuc xmlns='{Fmuc}' from='{Kev}'/>" : "";
        XmlAssert.AreEqual($"""
            <presence xmlns='jabber:component:accept' from='{kevProxy}' to='room@muc.alpha.test/Kev'>
              <show>away</show><status>brewing</status>
              <x xmlns='{Muc}'><history maxstanzas='0'/></x>
              {fmucElement}
            </presence>
            """, WithoutId(sent[0]));

        // The entry burst: the others, the self-presence, the subject. The user never left.
        await _h.SendAsync($"<presence from='{Room}/Curtis' to='{kevProxy}'><x xmlns='{MucUser}'><item affiliation='owner' role='moderator'/></x></presence>");
        await _h.SendAsync($"<presence from='{Room}/Kev' to='{kevProxy}'><x xmlns='{MucUser}'>" +
                           "<item affiliation='none' role='participant'/><status code='110'/></x><show>away</show><status>brewing</status></presence>");
        await _h.SendAsync($"<message type='groupchat' id='s1' from='{Room}/Curtis' to='{kevProxy}'><subject>Spells</subject></message>");
        Assert.That(_h.TakeSent(), Is.Empty, "nothing of the rejoin reaches the user");

        // Traffic as usual afterwards, once each way.
        var to = fmuc ? Proxy : kevProxy;
        await _h.SendAsync($"<message type='groupchat' id='m1' from='{Room}/Curtis' to='{to}'><body>Welcome back</body></message>");
        await _h.SendAsync($"<presence from='{Room}/Ann' to='{to}'><x xmlns='{MucUser}'><item affiliation='none' role='participant'/></x></presence>");
        await _h.SendAsync($"<message type='groupchat' id='s2' from='{Room}/Curtis' to='{to}'><subject>Potions</subject></message>");
        sent = _h.TakeSent();
        Assert.That(sent.Select(To), Is.EqualTo(new[] { Kev, Kev, Kev }));
        Assert.That(Body(sent[0]), Is.EqualTo("Welcome back"));
        Assert.That(From(sent[1]), Is.EqualTo(Proxy + "/Ann"));
        Assert.That(sent[2].Element(Ns.Component + "subject")?.Value, Is.EqualTo("Potions"), "a later subject change is shown");

        await _h.SendAsync($"<message type='groupchat' id='k1' from='{Kev}' to='{Proxy}'><body>Thanks</body></message>");
        Assert.That(To(_h.TakeSent().Single()), Is.EqualTo(Room));
    }

    [Test]
    public async Task A_session_that_left_before_the_restart_is_not_restored()
    {
        _h = await MirrorHarness.WithStorageAsync();
        await _h.JoinAsync(Kev, "Kev");
        await _h.JoinAsync(Ann, "Ann");
        await _h.JoinAsync(Bob, "Bob");
        // Ann leaves and the master confirms; Bob's leave is still unconfirmed when the mirror stops.
        await _h.SendAsync($"<presence type='unavailable' from='{Ann}' to='{Proxy}/Ann'/>");
        await _h.SendAsync($"<presence type='unavailable' from='{Room}/Ann' to='{_h.ProxyJidOf(Ann)}'><x xmlns='{MucUser}'>" +
                           "<item affiliation='none' role='none'/><status code='110'/></x></presence>");
        await _h.SendAsync($"<presence type='unavailable' from='{Bob}' to='{Proxy}/Bob'/>");
        _h.TakeSent();

        _h = await _h.RestartAsync();
        var sent = _h.TakeSent();
        Assert.That(sent.Select(From), Is.EqualTo(new[] { _h.ProxyJidOf(Kev) }), "only Kev is re-asserted");
        Assert.That(_h.Mirror.Find(Jid.Parse(Room))!.Sessions.Select(s => s.Local.ToString()), Is.EqualTo(new[] { Kev }));

        await _h.SendAsync($"<message type='groupchat' id='a1' from='{Ann}' to='{Proxy}'><body>Hi</body></message>");
        var refused = _h.TakeSent().Single();
        Assert.That(To(refused), Is.EqualTo(Ann));
        Assert.That(Condition(refused), Is.EqualTo(StanzaErrorCondition.NotAcceptable));

        // The last one leaves: after another restart nothing of the room is left.
        await _h.SendAsync($"<presence type='unavailable' from='{Kev}' to='{Proxy}/Kev'/>");
        await _h.SendAsync($"<presence type='unavailable' from='{Room}/Kev' to='{_h.ProxyJidOf(Kev)}'><x xmlns='{MucUser}'>" +
                           "<item affiliation='none' role='none'/><status code='110'/></x></presence>");
        _h = await _h.RestartAsync();
        Assert.That(_h.TakeSent(), Is.Empty);
        Assert.That(_h.Mirror.RoomCount, Is.Zero);
    }

    [Test]
    public async Task After_a_restart_a_new_local_joiner_gets_the_masters_history_since_the_mirrors_copy_starts_empty()
    {
        await KevJoinsAway();
        _h = await _h.RestartAsync();
        _h.TakeSent();

        await _h.SendAsync($"<presence id='j2' from='{Ann}' to='{Proxy}/Ann'><x xmlns='{Muc}'><history maxstanzas='5'/></x></presence>");
        XmlAssert.AreEqual($"""
            <presence xmlns='jabber:component:accept' id='j2' from='{_h.ProxyJidOf(Ann)}' to='room@muc.alpha.test/Ann'>
              <x xmlns='{Muc}'><history maxstanzas='5'/></x>
              <fmuc xmlns='{Fmuc}' from='{Ann}'/>
            </presence>
            """, _h.TakeSent().Single());
    }
}
