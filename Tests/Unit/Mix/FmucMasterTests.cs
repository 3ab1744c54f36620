using System.Xml.Linq;
using Microsoft.Extensions.Logging.Abstractions;
using XmppGroupChat.Mix.Fmuc;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Mix;

/// <summary>
/// The room host as an FMUC master (seed 002): a trusted mirror's users are judged as themselves,
/// and each broadcast crosses to the mirror once, whatever the number of users behind it.
/// </summary>
[TestFixture]
public sealed class FmucMasterTests
{
    private const string MucNs = "http://jabber.org/protocol/muc";
    private const string FmucNs = "http://isode.com/protocol/fmuc";
    private const string Proxy = @"coven\40muc.test@mirror.far";
    private RoomHostHarness _h = null!;

    [SetUp]
    public async Task SetUp()
    {
        _h = await RoomHostHarness.StartAsync(new RoomHostSetup { TrustedMirrors = ["mirror.far"] });
    }

    [TearDown]
    public async Task TearDown() => await _h.DisposeAsync();

    private static IEnumerable<string> Codes(XElement presence) =>
        presence.Element(Ns.MucUser + "x")?.Elements(Ns.MucUser + "status").Select(s => (string)s.Attribute("code")!) ?? [];

    private static string? To(XElement e) => (string?)e.Attribute("to");

    private async Task CreateRoomAsync(string config = "")
    {
        await _h.SendAsync($"<presence from='owner@test/a' to='coven@muc.test/boss'><x xmlns='{MucNs}'/></presence>");
        await _h.WaitForAsync(e => To(e) == "owner@test/a" && Codes(e).Contains("201"));
        var ok = await _h.IqAsync("<iq type='set' id='cfg' from='owner@test/a' to='coven@muc.test'><query xmlns='http://jabber.org/protocol/muc#owner'>" +
                                  $"<x xmlns='jabber:x:data' type='submit'>{config}</x></query></iq>");
        Assert.That(ok.GetStanzaType(), Is.EqualTo("result"), ok.ToString());
        await _h.WaitForAsync(e => To(e) == "owner@test/a" && e.Element(Ns.Component + "subject") != null);
    }

    /// <summary>A mirror enters for a user of its server, from its per-session proxy address.</summary>
    private Task MirrorJoinAsync(string session, string nick, string real, string id = "j", string domain = "mirror.far") =>
        _h.SendAsync($"<presence id='{id}' from='{Proxy.Replace("mirror.far", domain)}/{session}' to='coven@muc.test/{nick}'>" +
                     $"<x xmlns='{MucNs}'/><fmuc xmlns='{FmucNs}' from='{real}'/></presence>");

    private async Task EnteredAsync(string session)
    {
        await _h.WaitForAsync(e => To(e) == session && e.Element(Ns.Component + "subject") != null);
        await _h.SettleAsync();
        _h.TakeSent();
    }

    [Test]
    public async Task A_trusted_mirror_enters_its_user_who_gets_self_presence_with_the_real_jid_at_the_proxy_session()
    {
        await CreateRoomAsync("<field var='muc#roomconfig_whois'><value>anyone</value></field>");
        await MirrorJoinAsync("s1", "kev", "kev@far/Swift");
        var self = await _h.WaitForAsync(e => To(e) == Proxy + "/s1" && Codes(e).Contains("110"));
        var item = self.Element(Ns.MucUser + "x")!.Element(Ns.MucUser + "item")!;
        Assert.That((string?)item.Attribute("jid"), Is.EqualTo("kev@far/Swift"), "the room shows the real user, not the proxy");
        var toOwner = await _h.WaitForAsync(e => To(e) == "owner@test/a" && (string?)e.Attribute("from") == "coven@muc.test/kev");
        Assert.That((string?)toOwner.Element(Ns.MucUser + "x")!.Element(Ns.MucUser + "item")!.Attribute("jid"), Is.EqualTo("kev@far/Swift"));
    }

    [Test]
    public async Task Every_acl_applies_to_the_real_user_named_by_the_mirror()
    {
        await CreateRoomAsync("<field var='muc#roomconfig_membersonly'><value>1</value></field>");
        await MirrorJoinAsync("s1", "kev", "kev@far/Swift", id: "refused");
        var refused = await _h.WaitForAsync(e => e.GetId() == "refused");
        Assert.That(To(refused), Is.EqualTo(Proxy + "/s1"), "the error goes to the proxy session, which hands it to its user");
        Assert.That(StanzaError.FromStanza(refused)!.Condition, Is.EqualTo(StanzaErrorCondition.RegistrationRequired));

        var member = await _h.IqAsync("<iq type='set' id='m' from='owner@test/a' to='coven@muc.test'><query xmlns='http://jabber.org/protocol/muc#admin'>" +
                                      "<item jid='kev@far' affiliation='member'/></query></iq>");
        Assert.That(member.GetStanzaType(), Is.EqualTo("result"), member.ToString());
        await MirrorJoinAsync("s1", "kev", "kev@far/Swift");
        await _h.WaitForAsync(e => To(e) == Proxy + "/s1" && Codes(e).Contains("110"));

        var ban = await _h.IqAsync("<iq type='set' id='b' from='owner@test/a' to='coven@muc.test'><query xmlns='http://jabber.org/protocol/muc#admin'>" +
                                   "<item jid='eve@far' affiliation='outcast'/></query></iq>");
        Assert.That(ban.GetStanzaType(), Is.EqualTo("result"), ban.ToString());
        await MirrorJoinAsync("s2", "eve", "eve@far/x", id: "banned");
        var banned = await _h.WaitForAsync(e => e.GetId() == "banned");
        Assert.That(StanzaError.FromStanza(banned)!.Condition, Is.EqualTo(StanzaErrorCondition.Forbidden));
    }

    [Test]
    public async Task A_message_crosses_to_the_mirror_once_whatever_the_number_of_users_behind_it()
    {
        await CreateRoomAsync();
        for (var i = 1; i <= 3; i++)
        {
            await MirrorJoinAsync($"s{i}", $"user{i}", $"user{i}@far/r");
            await EnteredAsync($"{Proxy}/s{i}");
        }

        await _h.SendAsync("<message type='groupchat' id='m1' from='owner@test/a' to='coven@muc.test'><body>hello far side</body></message>");
        await _h.WaitForAsync(e => To(e) == "owner@test/a" && e.GetId() == "m1");
        await _h.SettleAsync();
        var copies = _h.TakeSent().Where(e => e.GetId() == "m1").ToList();
        Assert.That(copies.Select(To), Is.EqualTo(new[] { Proxy }), string.Join("\n", copies));
        Assert.That(copies[0].Element(Ns.StanzaId + "stanza-id"), Is.Not.Null);
    }

    [Test]
    public async Task Presence_broadcasts_cross_once_and_the_moving_user_gets_its_own_copy()
    {
        await CreateRoomAsync();
        await MirrorJoinAsync("s1", "kev", "kev@far/Swift");
        await EnteredAsync($"{Proxy}/s1");
        await MirrorJoinAsync("s2", "ann", "ann@far/r");
        await EnteredAsync($"{Proxy}/s2");

        // A direct user enters: the mirror hears it once.
        await _h.SendAsync($"<presence from='curtis@test/Swift' to='coven@muc.test/curtis'><x xmlns='{MucNs}'/></presence>");
        await _h.WaitForAsync(e => To(e) == "curtis@test/Swift" && e.Element(Ns.Component + "subject") != null);
        await _h.SettleAsync();
        var toMirror = _h.TakeSent().Where(e => To(e)!.Contains("mirror.far") && (string?)e.Attribute("from") == "coven@muc.test/curtis").ToList();
        Assert.That(toMirror.Select(To), Is.EqualTo(new[] { Proxy }));

        // kev changes status: one copy for the mirror's others, and kev's own with 110 at its session.
        await _h.SendAsync($"<presence from='{Proxy}/s1' to='coven@muc.test/kev'><show>away</show></presence>");
        await _h.WaitForAsync(e => To(e) == "curtis@test/Swift" && (string?)e.Attribute("from") == "coven@muc.test/kev");
        await _h.SettleAsync();
        var kev = _h.TakeSent().Where(e => To(e)!.Contains("mirror.far") && (string?)e.Attribute("from") == "coven@muc.test/kev").ToList();
        Assert.That(kev.Select(To), Is.EquivalentTo(new[] { Proxy, Proxy + "/s1" }));
        Assert.That(Codes(kev.Single(e => To(e) == Proxy + "/s1")), Does.Contain("110"));
        Assert.That(Codes(kev.Single(e => To(e) == Proxy)), Does.Not.Contain("110"));
    }

    [Test]
    public async Task Nomirror_means_no_copy_back_to_that_mirror_and_is_not_archived()
    {
        await CreateRoomAsync();
        await MirrorJoinAsync("s1", "kev", "kev@far/Swift");
        await EnteredAsync($"{Proxy}/s1");

        await _h.SendAsync($"<message type='groupchat' id='ff1' from='{Proxy}/s1' to='coven@muc.test'><body>fire and forget</body><nomirror xmlns='{FmucNs}'/></message>");
        var toOwner = await _h.WaitForAsync(e => To(e) == "owner@test/a" && e.GetId() == "ff1");
        Assert.That((string?)toOwner.Attribute("from"), Is.EqualTo("coven@muc.test/kev"));
        Assert.That(toOwner.Element(XName.Get("nomirror", FmucNs)), Is.Null, "the mirror's element is not part of the message");
        await _h.SettleAsync();
        Assert.That(_h.TakeSent().Where(e => e.GetId() == "ff1"), Is.Empty, "no echo to the mirror");

        await _h.SendAsync($"<message type='groupchat' id='n2' from='{Proxy}/s1' to='coven@muc.test'><body>normal</body></message>");
        var echo = await _h.WaitForAsync(e => To(e) == Proxy && e.GetId() == "n2");
        Assert.That(echo.Element(Ns.Component + "body")!.Value, Is.EqualTo("normal"), "without nomirror the mirror waits for this copy");

        var page = await _h.Archive.QueryAsync("coven@mix.test", new XmppGroupChat.Archive.ArchiveQuery(Max: 10), CancellationToken.None);
        var stored = page.Messages.Single(m => (string?)m.Stanza.Attribute("id") == "ff1");
        Assert.That(stored.Stanza.Element(XName.Get("nomirror", FmucNs)), Is.Null);
        Assert.That(stored.SenderBareJid, Is.EqualTo("kev@far"), "archived as the real user");
    }

    [Test]
    public async Task A_nick_change_through_a_mirror_is_not_acceptable()
    {
        await CreateRoomAsync();
        await MirrorJoinAsync("s1", "kev", "kev@far/Swift");
        await EnteredAsync($"{Proxy}/s1");
        await _h.SendAsync($"<presence id='nick' from='{Proxy}/s1' to='coven@muc.test/kevin'/>");
        var refused = await _h.WaitForAsync(e => e.GetId() == "nick");
        Assert.That(StanzaError.FromStanza(refused)!.Condition, Is.EqualTo(StanzaErrorCondition.NotAcceptable));
    }

    [Test]
    public async Task An_untrusted_mirror_is_an_ordinary_occupant_per_session()
    {
        await CreateRoomAsync("<field var='muc#roomconfig_whois'><value>anyone</value></field>");
        const string evil = @"coven\40muc.test@mirror.evil";
        await MirrorJoinAsync("s1", "kev", "kev@far/Swift", domain: "mirror.evil");
        var self = await _h.WaitForAsync(e => To(e) == evil + "/s1" && Codes(e).Contains("110"));
        Assert.That((string?)self.Element(Ns.MucUser + "x")!.Element(Ns.MucUser + "item")!.Attribute("jid"), Is.EqualTo(evil + "/s1"),
            "its claim about a real user is ignored");
        await _h.WaitForAsync(e => To(e) == evil + "/s1" && e.Element(Ns.Component + "subject") != null);
        await MirrorJoinAsync("s2", "ann", "ann@far/r", domain: "mirror.evil");
        await EnteredAsync(evil + "/s2");

        await _h.SendAsync("<message type='groupchat' id='m1' from='owner@test/a' to='coven@muc.test'><body>hi</body></message>");
        await _h.WaitForAsync(e => To(e) == "owner@test/a" && e.GetId() == "m1");
        await _h.SettleAsync();
        var copies = _h.TakeSent().Where(e => e.GetId() == "m1").Select(To).ToList();
        Assert.That(copies, Is.EquivalentTo(new[] { evil + "/s1", evil + "/s2" }), "one copy per session, as a plain MUC does");
    }

    [Test]
    public async Task Leaving_through_the_mirror_tells_the_session_and_the_mirror_once()
    {
        await CreateRoomAsync();
        await MirrorJoinAsync("s1", "kev", "kev@far/Swift");
        await EnteredAsync($"{Proxy}/s1");
        await MirrorJoinAsync("s2", "ann", "ann@far/r");
        await EnteredAsync($"{Proxy}/s2");

        await _h.SendAsync($"<presence type='unavailable' from='{Proxy}/s1' to='coven@muc.test/kev'/>");
        await _h.WaitForAsync(e => To(e) == "owner@test/a" && (string?)e.Attribute("type") == "unavailable");
        await _h.SettleAsync();
        var gone = _h.TakeSent().Where(e => To(e)!.Contains("mirror.far")).ToList();
        Assert.That(gone.Select(To), Is.EquivalentTo(new[] { Proxy + "/s1", Proxy }), string.Join("\n", gone));
        Assert.That(Codes(gone.Single(e => To(e) == Proxy + "/s1")), Does.Contain("110"));
    }

    [TestCase("message", TestName = "A message bounced by the mirror's room (a restarted mirror) takes every session behind it out of the room")]
    [TestCase("presence", TestName = "A presence bounced for the mirror's room (its server, while it is down) takes every session behind it out of the room")]
    public async Task An_error_from_the_proxy_room_takes_every_session_behind_it_out(string kind)
    {
        await CreateRoomAsync();
        await MirrorJoinAsync("s1", "kev", "kev@far/Swift");
        await EnteredAsync($"{Proxy}/s1");
        await MirrorJoinAsync("s2", "ann", "ann@far/r");
        await EnteredAsync($"{Proxy}/s2");
        _h.TakeSent();

        await _h.SendAsync($"<{kind} type='error' id='gone' from='{Proxy}' to='coven@muc.test'>" +
                           "<error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></" + kind + ">");
        foreach (var nick in new[] { "kev", "ann" })
        {
            var exit = await _h.WaitForAsync(e => To(e) == "owner@test/a" && (string?)e.Attribute("from") == $"coven@muc.test/{nick}");
            Assert.That(exit.GetStanzaType(), Is.EqualTo("unavailable"), exit.ToString());
        }
        await _h.SettleAsync();
        Assert.That(_h.TakeSent().Where(e => To(e)!.Contains("mirror.far")), Is.Empty, "nothing more goes to the mirror, not even the exits");

        await _h.SendAsync("<message type='groupchat' id='after' from='owner@test/a' to='coven@muc.test'><body>anyone there?</body></message>");
        await _h.WaitForAsync(e => To(e) == "owner@test/a" && e.GetId() == "after");
        await _h.SettleAsync();
        Assert.That(_h.TakeSent().Where(e => To(e)!.Contains("mirror.far")), Is.Empty, "the room stopped sending to the mirror");
    }

    [Test]
    public async Task An_error_from_one_proxy_session_takes_only_that_session_out()
    {
        await CreateRoomAsync();
        await MirrorJoinAsync("s1", "kev", "kev@far/Swift");
        await EnteredAsync($"{Proxy}/s1");
        await MirrorJoinAsync("s2", "ann", "ann@far/r");
        await EnteredAsync($"{Proxy}/s2");

        await _h.SendAsync($"<message type='error' id='gone' from='{Proxy}/s1' to='coven@muc.test'>" +
                           "<error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
        await _h.WaitForAsync(e => To(e) == "owner@test/a" && (string?)e.Attribute("from") == "coven@muc.test/kev" && e.GetStanzaType() == "unavailable");
        await _h.SendAsync("<message type='groupchat' id='after' from='owner@test/a' to='coven@muc.test'><body>still there?</body></message>");
        await _h.WaitForAsync(e => To(e) == Proxy && e.GetId() == "after");
    }

    [Test]
    public async Task A_mam_query_relayed_from_a_proxy_session_is_answered_as_for_the_real_user()
    {
        await CreateRoomAsync("<field var='muc#roomconfig_membersonly'><value>1</value></field>");
        await _h.IqAsync("<iq type='set' id='m' from='owner@test/a' to='coven@muc.test'><query xmlns='http://jabber.org/protocol/muc#admin'>" +
                         "<item jid='kev@far' affiliation='member'/></query></iq>");
        await MirrorJoinAsync("s1", "kev", "kev@far/Swift");
        await EnteredAsync($"{Proxy}/s1");
        await _h.SendAsync("<message type='groupchat' id='m1' from='owner@test/a' to='coven@muc.test'><body>for the record</body></message>");
        await _h.WaitForAsync(e => To(e) == Proxy && e.GetId() == "m1");

        await _h.SendAsync($"<iq type='set' id='q' from='{Proxy}/s1' to='coven@muc.test'><query xmlns='urn:xmpp:mam:2' queryid='f'/></iq>");
        var result = await _h.WaitForAsync(e => e.Name.LocalName == "message" && To(e) == Proxy + "/s1");
        Assert.That(result.Descendants().Single(e => e.Name.LocalName == "body").Value, Is.EqualTo("for the record"));
        var done = await _h.WaitForAsync(e => e.GetId() == "q");
        Assert.That(done.GetStanzaType(), Is.EqualTo("result"), done.ToString());
    }

    [Test]
    public async Task A_trusted_mirror_may_vouch_only_for_users_of_the_domain_it_serves()
    {
        await CreateRoomAsync();
        await MirrorJoinAsync("s1", "mallory", "mallory@elsewhere/x", id: "overreach");
        var refused = await _h.WaitForAsync(e => e.GetId() == "overreach");
        var error = StanzaError.FromStanza(refused)!;
        Assert.That(error.Condition, Is.EqualTo(StanzaErrorCondition.Forbidden));
        Assert.That(error.Text, Does.Contain("far"));
        Assert.That(new TrustedMirrors(["mirror.b.example"], NullLogger.Instance,
            new Dictionary<string, IReadOnlyList<string>> { ["mirror.b.example"] = ["c.example"] }).Serves("mirror.b.example"), Is.EqualTo(new[] { "c.example" }));
    }
}
