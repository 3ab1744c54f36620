using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Mix;

/// <summary>The MUC face (XEP-0045) of the same rooms: golden flows, and one conversation with the MIX face.</summary>
[TestFixture]
public sealed class MucFaceTests
{
    private const string Core = "urn:xmpp:mix:core:1";
    private const string MucNs = "http://jabber.org/protocol/muc";
    private static readonly XNamespace OccupantId = "urn:xmpp:occupant-id:0";
    private RoomHostHarness _h = null!;

    [SetUp]
    public async Task SetUp() => _h = await RoomHostHarness.StartAsync();

    [TearDown]
    public async Task TearDown() => await _h.DisposeAsync();

    private static bool PresenceFrom(XElement e, string from, string to) =>
        e.Name.LocalName == "presence" && (string?)e.Attribute("from") == from && (string?)e.Attribute("to") == to;

    private static IEnumerable<string> Codes(XElement presence) =>
        presence.Element(Ns.MucUser + "x")?.Elements(Ns.MucUser + "status").Select(s => (string)s.Attribute("code")!) ?? [];

    /// <summary>Owner creates coven as an instant room; returns after the room is unlocked.</summary>
    private async Task CreateInstantRoomAsync(string owner = "owner@test/a", string nick = "boss", string config = "")
    {
        await _h.SendAsync($"<presence from='{owner}' to='coven@muc.test/{nick}'><x xmlns='{MucNs}'/></presence>");
        var self = await _h.WaitForAsync(e => PresenceFrom(e, $"coven@muc.test/{nick}", owner) && Codes(e).Contains("110"));
        Assert.That(Codes(self), Does.Contain("201"), "a new room says so");
        var ok = await _h.IqAsync($"<iq type='set' id='cfg' from='{owner}' to='coven@muc.test'><query xmlns='http://jabber.org/protocol/muc#owner'>" +
                                  $"<x xmlns='jabber:x:data' type='submit'>{config}</x></query></iq>");
        Assert.That(ok.GetStanzaType(), Is.EqualTo("result"), ok.ToString());
    }

    private async Task EnterAsync(string jid, string nick, string extra = "")
    {
        await _h.SendAsync($"<presence from='{jid}' to='coven@muc.test/{nick}'><x xmlns='{MucNs}'>{extra}</x></presence>");
        await _h.WaitForAsync(e => e.Name.LocalName == "message" && (string?)e.Attribute("to") == jid && e.Element(Ns.Component + "subject") != null);
    }

    [Test]
    public async Task Entering_sends_the_others_then_self_presence_then_history_then_the_subject()
    {
        await CreateInstantRoomAsync();
        await EnterAsync("hag66@test/pda", "thirdwitch");
        await _h.SendAsync("<message type='groupchat' id='h1' from='hag66@test/pda' to='coven@muc.test'><body>Thrice the brinded cat</body></message>");
        await _h.WaitForAsync(e => (string?)e.Attribute("to") == "owner@test/a" && e.Element(Ns.Component + "body") != null);
        _h.TakeSent();

        await _h.SendAsync($"<presence from='hecate@test/broom' to='coven@muc.test/hecate'><x xmlns='{MucNs}'><history maxstanzas='5'/></x></presence>");
        var subjectMessage = await _h.WaitForAsync(e => (string?)e.Attribute("to") == "hecate@test/broom" && e.Element(Ns.Component + "subject") != null);
        await _h.SettleAsync();
        // Everything before the subject is still queued; the subject is last by construction of the wait.
        var toHecate = _h.TakeSent().Where(e => (string?)e.Attribute("to") == "hecate@test/broom").Append(subjectMessage).ToList();
        var kinds = toHecate.Select(e => e.Name.LocalName == "presence"
            ? ((string?)e.Attribute("from") == "coven@muc.test/hecate" ? "self" : "other")
            : e.Element(Ns.Component + "subject") != null ? "subject" : "history").ToList();
        Assert.That(kinds, Is.EqualTo(new[] { "other", "other", "self", "history", "subject" }), string.Join("\n", toHecate));

        var self = toHecate[2];
        Assert.That(Codes(self), Does.Contain("110").And.Contain("170"));
        Assert.That(self.Element(OccupantId + "occupant-id"), Is.Not.Null);
        var history = toHecate[3];
        Assert.That((string?)history.Attribute("from"), Is.EqualTo("coven@muc.test/thirdwitch"));
        Assert.That((string?)history.Element(Ns.Delay + "delay")!.Attribute("from"), Is.EqualTo("coven@muc.test"));
        Assert.That(toHecate[4].Element(Ns.Component + "subject")!.Value, Is.Empty, "the subject is always sent, empty when unset");
    }

    [Test]
    public async Task A_locked_new_room_admits_only_its_owner_until_configured()
    {
        await _h.SendAsync($"<presence from='owner@test/a' to='coven@muc.test/boss'><x xmlns='{MucNs}'/></presence>");
        await _h.WaitForAsync(e => PresenceFrom(e, "coven@muc.test/boss", "owner@test/a") && Codes(e).Contains("201"));
        await _h.SendAsync($"<presence id='early' from='hag66@test/pda' to='coven@muc.test/thirdwitch'><x xmlns='{MucNs}'/></presence>");
        var refused = await _h.WaitForAsync(e => e.GetId() == "early");
        Assert.That(StanzaError.FromStanza(refused)!.Condition, Is.EqualTo(StanzaErrorCondition.ItemNotFound));
    }

    [Test]
    public async Task A_groupchat_message_reaches_every_occupant_and_the_mix_participants_with_one_archive_id()
    {
        await CreateInstantRoomAsync();
        await EnterAsync("hag66@test/pda", "thirdwitch");
        var join = await _h.IqAsync($"<iq type='set' id='j' from='hecate@test/mix' to='coven@mix.test'><join xmlns='{Core}'><subscribe node='urn:xmpp:mix:nodes:messages'/><nick>hecate</nick></join></iq>");
        Assert.That(join.GetStanzaType(), Is.EqualTo("result"), join.ToString());
        _h.TakeSent();

        await _h.SendAsync("<message type='groupchat' id='orig' from='hag66@test/pda' to='coven@muc.test'><body>Harpier cries</body></message>");
        var echo = await _h.WaitForAsync(e => (string?)e.Attribute("to") == "hag66@test/pda" && e.Element(Ns.Component + "body") != null);
        var atOwner = await _h.WaitForAsync(e => (string?)e.Attribute("to") == "owner@test/a" && e.Element(Ns.Component + "body") != null);
        var atMix = await _h.WaitForAsync(e => (string?)e.Attribute("to") == "hecate@test/mix" && e.Element(Ns.Component + "body") != null);

        Assert.That(echo.GetId(), Is.EqualTo("orig"), "the sender's echo keeps its id");
        Assert.That((string?)echo.Attribute("from"), Is.EqualTo("coven@muc.test/thirdwitch"));
        var archiveId = (string?)echo.Element(Ns.StanzaId + "stanza-id")!.Attribute("id");
        Assert.That((string?)echo.Element(Ns.StanzaId + "stanza-id")!.Attribute("by"), Is.EqualTo("coven@muc.test"));
        Assert.That((string?)atOwner.Element(Ns.StanzaId + "stanza-id")!.Attribute("id"), Is.EqualTo(archiveId));
        Assert.That(atMix.GetId(), Is.EqualTo(archiveId), "the MIX face sees the same archive id");
        Assert.That(atMix.Descendants(XNamespace.Get(Core) + "nick").Single().Value, Is.EqualTo("thirdwitch"));

        await _h.SendAsync("<message type='groupchat' from='hecate@test/mix' to='coven@mix.test'><body>'tis time</body></message>");
        var back = await _h.WaitForAsync(e => (string?)e.Attribute("to") == "hag66@test/pda" && e.Element(Ns.Component + "body")?.Value == "'tis time");
        Assert.That((string?)back.Attribute("from"), Is.EqualTo("coven@muc.test/hecate"));
    }

    [Test]
    public async Task A_nick_conflict_is_refused_but_the_same_user_may_join_from_a_second_client()
    {
        await CreateInstantRoomAsync();
        await EnterAsync("hag66@test/pda", "thirdwitch");
        await _h.SendAsync($"<presence id='c' from='other@test/x' to='coven@muc.test/thirdwitch'><x xmlns='{MucNs}'/></presence>");
        Assert.That(StanzaError.FromStanza(await _h.WaitForAsync(e => e.GetId() == "c"))!.Condition, Is.EqualTo(StanzaErrorCondition.Conflict));
        await EnterAsync("hag66@test/laptop", "thirdwitch");
    }

    [Test]
    public async Task Changing_nick_sends_303_with_the_new_nick_then_the_new_presence()
    {
        await CreateInstantRoomAsync();
        await EnterAsync("hag66@test/pda", "thirdwitch");
        _h.TakeSent();
        await _h.SendAsync("<presence from='hag66@test/pda' to='coven@muc.test/oldhag'/>");
        var gone = await _h.WaitForAsync(e => PresenceFrom(e, "coven@muc.test/thirdwitch", "owner@test/a"));
        Assert.That(gone.GetStanzaType(), Is.EqualTo("unavailable"));
        Assert.That(Codes(gone), Does.Contain("303"));
        Assert.That((string?)gone.Descendants(Ns.MucUser + "item").Single().Attribute("nick"), Is.EqualTo("oldhag"));
        await _h.WaitForAsync(e => PresenceFrom(e, "coven@muc.test/oldhag", "owner@test/a") && e.GetStanzaType() is null);
    }

    [Test]
    public async Task Members_only_and_password_rooms_refuse_with_the_xep_conditions()
    {
        await CreateInstantRoomAsync(config:
            "<field var='muc#roomconfig_membersonly'><value>1</value></field>");
        await _h.SendAsync($"<presence id='m' from='hag66@test/pda' to='coven@muc.test/thirdwitch'><x xmlns='{MucNs}'/></presence>");
        Assert.That(StanzaError.FromStanza(await _h.WaitForAsync(e => e.GetId() == "m"))!.Condition, Is.EqualTo(StanzaErrorCondition.RegistrationRequired));

        var pw = await _h.IqAsync("<iq type='set' id='pw' from='owner@test/a' to='coven@muc.test'><query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'>" +
                                  "<field var='muc#roomconfig_membersonly'><value>0</value></field><field var='muc#roomconfig_passwordprotectedroom'><value>1</value></field>" +
                                  "<field var='muc#roomconfig_roomsecret'><value>cauldron</value></field></x></query></iq>");
        Assert.That(pw.GetStanzaType(), Is.EqualTo("result"));
        await _h.SendAsync($"<presence id='p' from='hag66@test/pda' to='coven@muc.test/thirdwitch'><x xmlns='{MucNs}'/></presence>");
        Assert.That(StanzaError.FromStanza(await _h.WaitForAsync(e => e.GetId() == "p"))!.Condition, Is.EqualTo(StanzaErrorCondition.NotAuthorized));
        await EnterAsync("hag66@test/pda", "thirdwitch", "<password>cauldron</password>");
    }

    [Test]
    public async Task A_moderator_kicks_with_307_and_an_owner_bans_with_301()
    {
        await CreateInstantRoomAsync();
        await EnterAsync("hag66@test/pda", "thirdwitch");
        await EnterAsync("cat@test/l", "cat");
        _h.TakeSent();
        var kick = await _h.IqAsync("<iq type='set' id='k' from='owner@test/a' to='coven@muc.test'><query xmlns='http://jabber.org/protocol/muc#admin'><item nick='cat' role='none'><reason>shoo</reason></item></query></iq>");
        Assert.That(kick.GetStanzaType(), Is.EqualTo("result"), kick.ToString());
        var kicked = await _h.WaitForAsync(e => PresenceFrom(e, "coven@muc.test/cat", "cat@test/l"));
        Assert.That(Codes(kicked), Does.Contain("307").And.Contain("110"));
        var seen = await _h.WaitForAsync(e => PresenceFrom(e, "coven@muc.test/cat", "hag66@test/pda"));
        Assert.That(Codes(seen), Does.Contain("307"));

        var ban = await _h.IqAsync("<iq type='set' id='b' from='owner@test/a' to='coven@muc.test'><query xmlns='http://jabber.org/protocol/muc#admin'><item jid='hag66@test' affiliation='outcast'/></query></iq>");
        Assert.That(ban.GetStanzaType(), Is.EqualTo("result"), ban.ToString());
        Assert.That(Codes(await _h.WaitForAsync(e => PresenceFrom(e, "coven@muc.test/thirdwitch", "hag66@test/pda"))), Does.Contain("301"));
        await _h.SendAsync($"<presence id='again' from='hag66@test/pda' to='coven@muc.test/thirdwitch'><x xmlns='{MucNs}'/></presence>");
        Assert.That(StanzaError.FromStanza(await _h.WaitForAsync(e => e.GetId() == "again"))!.Condition, Is.EqualTo(StanzaErrorCondition.Forbidden));

        var list = await _h.IqAsync("<iq type='get' id='l' from='owner@test/a' to='coven@muc.test'><query xmlns='http://jabber.org/protocol/muc#admin'><item affiliation='outcast'/></query></iq>");
        Assert.That(list.Descendants(Ns.MucAdmin + "item").Select(i => (string?)i.Attribute("jid")), Is.EqualTo(new[] { "hag66@test" }));
    }

    [Test]
    public async Task A_ban_tells_the_outcast_and_the_room_who_banned_them_and_why()
    {
        await CreateInstantRoomAsync();
        await EnterAsync("hag66@test/pda", "thirdwitch");
        await EnterAsync("cat@test/l", "cat");
        _h.TakeSent();
        var ban = await _h.IqAsync("<iq type='set' id='b' from='owner@test/a' to='coven@muc.test'><query xmlns='http://jabber.org/protocol/muc#admin'>" +
                                   "<item jid='hag66@test' affiliation='outcast'><reason>Treason</reason></item></query></iq>");
        Assert.That(ban.GetStanzaType(), Is.EqualTo("result"), ban.ToString());

        var toOutcast = await _h.WaitForAsync(e => PresenceFrom(e, "coven@muc.test/thirdwitch", "hag66@test/pda"));
        XElement Item(params object[] jid) => new(Ns.MucUser + "item", new XAttribute("affiliation", "outcast"), new XAttribute("role", "none"), jid,
            new XElement(Ns.MucUser + "actor", new XAttribute("nick", "boss")), new XElement(Ns.MucUser + "reason", "Treason"));
        var expected = Item(new XAttribute("jid", "hag66@test/pda"));
        var item = toOutcast.Element(Ns.MucUser + "x")!.Element(Ns.MucUser + "item")!;
        Assert.That(XNode.DeepEquals(item, expected), Is.True, item.ToString());
        Assert.That(Codes(toOutcast), Is.EqualTo(new[] { "301", "110" }));

        var toCat = await _h.WaitForAsync(e => PresenceFrom(e, "coven@muc.test/thirdwitch", "cat@test/l"));
        expected = Item();
        item = toCat.Element(Ns.MucUser + "x")!.Element(Ns.MucUser + "item")!;
        Assert.That(XNode.DeepEquals(item, expected), Is.True, "the others see the ban without the real JID: " + item);
        Assert.That(Codes(toCat), Is.EqualTo(new[] { "301" }));
    }

    [Test]
    public async Task Only_a_moderator_changes_the_subject_by_default_and_everyone_sees_it()
    {
        await CreateInstantRoomAsync();
        await EnterAsync("hag66@test/pda", "thirdwitch");
        await _h.SendAsync("<message type='groupchat' id='s1' from='hag66@test/pda' to='coven@muc.test'><subject>mine</subject></message>");
        Assert.That(StanzaError.FromStanza(await _h.WaitForAsync(e => e.GetId() == "s1"))!.Condition, Is.EqualTo(StanzaErrorCondition.Forbidden));
        await _h.SendAsync("<message type='groupchat' from='owner@test/a' to='coven@muc.test'><subject>Brewing</subject></message>");
        var subject = await _h.WaitForAsync(e => (string?)e.Attribute("to") == "hag66@test/pda" && e.Element(Ns.Component + "subject")?.Value == "Brewing");
        Assert.That((string?)subject.Attribute("from"), Is.EqualTo("coven@muc.test/boss"));
    }

    [Test]
    public async Task Private_messages_go_between_occupants_from_the_occupant_jid()
    {
        await CreateInstantRoomAsync();
        await EnterAsync("hag66@test/pda", "thirdwitch");
        await _h.SendAsync("<message type='chat' from='owner@test/a' to='coven@muc.test/thirdwitch'><body>psst</body></message>");
        var pm = await _h.WaitForAsync(e => (string?)e.Attribute("to") == "hag66@test/pda" && e.Element(Ns.Component + "body")?.Value == "psst");
        Assert.That((string?)pm.Attribute("from"), Is.EqualTo("coven@muc.test/boss"));
        Assert.That(pm.Element(Ns.MucUser + "x"), Is.Not.Null);
        await _h.SendAsync("<message type='chat' id='nobody' from='owner@test/a' to='coven@muc.test/ghost'><body>?</body></message>");
        Assert.That(StanzaError.FromStanza(await _h.WaitForAsync(e => e.GetId() == "nobody"))!.Condition, Is.EqualTo(StanzaErrorCondition.ItemNotFound));
    }

    [Test]
    public async Task Self_ping_is_answered_for_occupants_only()
    {
        await CreateInstantRoomAsync();
        var ok = await _h.IqAsync("<iq type='get' id='sp' from='owner@test/a' to='coven@muc.test/boss'><ping xmlns='urn:xmpp:ping'/></iq>");
        Assert.That(ok.GetStanzaType(), Is.EqualTo("result"));
        var no = await _h.IqAsync("<iq type='get' id='sp2' from='stranger@test/x' to='coven@muc.test/boss'><ping xmlns='urn:xmpp:ping'/></iq>");
        Assert.That(StanzaError.FromStanza(no)!.Condition, Is.EqualTo(StanzaErrorCondition.NotAcceptable));
    }

    [Test]
    public async Task The_room_describes_its_configuration_in_disco()
    {
        await CreateInstantRoomAsync(config: "<field var='muc#roomconfig_whois'><value>anyone</value></field><field var='muc#roomconfig_persistentroom'><value>1</value></field>");
        var info = await _h.IqAsync("<iq type='get' id='d' from='x@test/y' to='coven@muc.test'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        var disco = DiscoInfo.Parse(info.Element(Ns.DiscoInfo + "query")!);
        Assert.That(disco.Identities.Single().Type, Is.EqualTo("text"));
        Assert.That(disco.Features, Does.Contain("http://jabber.org/protocol/muc").And.Contain("muc_nonanonymous").And.Contain("muc_persistent")
            .And.Contain("urn:xmpp:mam:2").And.Contain("urn:xmpp:occupant-id:0").And.Contain("http://jabber.org/protocol/muc#self-ping-optimization"));
        Assert.That(disco.Extensions.Single().FormType, Is.EqualTo("http://jabber.org/protocol/muc#roominfo"));
    }

    [Test]
    public async Task Destroying_tells_every_occupant_with_the_reason_and_the_alternate_venue()
    {
        await CreateInstantRoomAsync();
        await EnterAsync("hag66@test/pda", "thirdwitch");
        var ok = await _h.IqAsync("<iq type='set' id='x' from='owner@test/a' to='coven@muc.test'><query xmlns='http://jabber.org/protocol/muc#owner'>" +
                                  "<destroy jid='heath@muc.test'><reason>Macbeth doth come</reason></destroy></query></iq>");
        Assert.That(ok.GetStanzaType(), Is.EqualTo("result"), ok.ToString());
        var notice = await _h.WaitForAsync(e => PresenceFrom(e, "coven@muc.test/thirdwitch", "hag66@test/pda") && e.Descendants(Ns.MucUser + "destroy").Any());
        var destroy = notice.Descendants(Ns.MucUser + "destroy").Single();
        Assert.That((string?)destroy.Attribute("jid"), Is.EqualTo("heath@muc.test"));
        Assert.That(destroy.Element(Ns.MucUser + "reason")!.Value, Is.EqualTo("Macbeth doth come"));
        Assert.That((string?)notice.Descendants(Ns.MucUser + "item").Single().Attribute("affiliation"), Is.EqualTo("none"));
        Assert.That(Codes(notice), Does.Contain("110"), "each occupant is told about itself");
        Assert.That(_h.Rooms.Find(Jid.Parse("coven@mix.test")), Is.Null, "gone from the MIX face too");
    }

    [Test]
    public async Task An_olpc_activity_room_is_temporary_hidden_non_anonymous_and_invites_by_mediation()
    {
        await CreateInstantRoomAsync(owner: "kid1@test/sugar", nick: "kid1", config:
            "<field var='muc#roomconfig_persistentroom'><value>0</value></field><field var='muc#roomconfig_publicroom'><value>0</value></field>" +
            "<field var='muc#roomconfig_whois'><value>anyone</value></field>");
        var items = await _h.IqAsync("<iq type='get' id='i' from='x@test/y' to='muc.test'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
        Assert.That(items.Descendants(Ns.DiscoItems + "item"), Is.Empty, "a hidden room is not listed");

        await _h.SendAsync("<message from='kid1@test/sugar' to='coven@muc.test'><x xmlns='http://jabber.org/protocol/muc#user'><invite to='kid2@test'><reason>Share my activity</reason></invite></x></message>");
        var invitation = await _h.WaitForAsync(e => (string?)e.Attribute("to") == "kid2@test");
        Assert.That((string?)invitation.Attribute("from"), Is.EqualTo("coven@muc.test"));
        Assert.That((string?)invitation.Descendants(Ns.MucUser + "invite").Single().Attribute("from"), Is.EqualTo("kid1@test/sugar"));

        await EnterAsync("kid2@test/sugar", "kid2");
        await _h.SendAsync("<presence type='unavailable' from='kid2@test/sugar' to='coven@muc.test/kid2'/>");
        await _h.SendAsync("<presence type='unavailable' from='kid1@test/sugar' to='coven@muc.test/kid1'/>");
        await _h.WaitForAsync(e => PresenceFrom(e, "coven@muc.test/kid1", "kid1@test/sugar") && e.GetStanzaType() == "unavailable");
        Assert.That(_h.Rooms.Find(Jid.Parse("coven@mix.test")), Is.Null, "the room vanished with its last occupant");
    }

    [Test]
    public async Task History_and_mam_name_a_message_by_the_nick_it_was_sent_under()
    {
        await CreateInstantRoomAsync();
        await EnterAsync("hag66@test/pda", "thirdwitch");
        await _h.SendAsync("<message type='groupchat' id='h1' from='hag66@test/pda' to='coven@muc.test'><body>hello</body></message>");
        await _h.WaitForAsync(e => (string?)e.Attribute("to") == "owner@test/a" && e.Element(Ns.Component + "body") != null);
        await _h.SendAsync("<presence from='hag66@test/pda' to='coven@muc.test/oldhag'/>");
        await _h.WaitForAsync(e => PresenceFrom(e, "coven@muc.test/oldhag", "owner@test/a") && e.GetStanzaType() is null);
        _h.TakeSent();

        await _h.SendAsync($"<presence from='hecate@test/broom' to='coven@muc.test/hecate'><x xmlns='{MucNs}'/></presence>");
        var history = await _h.WaitForAsync(e => (string?)e.Attribute("to") == "hecate@test/broom" && e.Element(Ns.Component + "body") != null);
        Assert.That((string?)history.Attribute("from"), Is.EqualTo("coven@muc.test/thirdwitch"), history.ToString());

        var fin = await _h.IqAsync("<iq type='set' id='mq' from='owner@test/a' to='coven@muc.test'><query xmlns='urn:xmpp:mam:2'/></iq>");
        Assert.That(fin.GetStanzaType(), Is.EqualTo("result"), fin.ToString());
        var forwarded = _h.TakeSent().SelectMany(e => e.Descendants(Ns.Client + "message")).Single();
        Assert.That((string?)forwarded.Attribute("from"), Is.EqualTo("coven@muc.test/thirdwitch"), forwarded.ToString());
    }

    [Test]
    public async Task The_room_archive_answers_mam_on_the_muc_face()
    {
        await CreateInstantRoomAsync();
        await EnterAsync("hag66@test/pda", "thirdwitch");
        await _h.SendAsync("<message type='groupchat' id='a1' from='hag66@test/pda' to='coven@muc.test'><body>one</body></message>");
        await _h.WaitForAsync(e => (string?)e.Attribute("to") == "owner@test/a" && e.Element(Ns.Component + "body") != null);
        _h.TakeSent();
        var fin = await _h.IqAsync("<iq type='set' id='mq' from='owner@test/a' to='coven@muc.test'><query xmlns='urn:xmpp:mam:2' queryid='q1'/></iq>");
        Assert.That(fin.GetStanzaType(), Is.EqualTo("result"), fin.ToString());
        var results = _h.TakeSent().Where(e => e.Descendants(Ns.Mam + "result").Any()).ToList();
        Assert.That(results, Has.Count.EqualTo(1), string.Join("\n", results));
        Assert.That((string?)results[0].Attribute("from"), Is.EqualTo("coven@muc.test"));
        var forwarded = results[0].Descendants(Ns.Client + "message").Single();
        Assert.That((string?)forwarded.Attribute("from"), Is.EqualTo("coven@muc.test/thirdwitch"));
    }

    [Test]
    public async Task Making_a_room_members_only_removes_non_members_with_322()
    {
        await CreateInstantRoomAsync();
        await EnterAsync("hag66@test/pda", "thirdwitch");
        var member = await _h.IqAsync("<iq type='set' id='mm' from='owner@test/a' to='coven@muc.test'><query xmlns='http://jabber.org/protocol/muc#admin'><item jid='cat@test' affiliation='member'/></query></iq>");
        Assert.That(member.GetStanzaType(), Is.EqualTo("result"), member.ToString());
        await EnterAsync("cat@test/l", "cat");
        _h.TakeSent();
        var ok = await _h.IqAsync("<iq type='set' id='mo' from='owner@test/a' to='coven@muc.test'><query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'>" +
                                  "<field var='muc#roomconfig_membersonly'><value>1</value></field></x></query></iq>");
        Assert.That(ok.GetStanzaType(), Is.EqualTo("result"), ok.ToString());
        var removed = await _h.WaitForAsync(e => PresenceFrom(e, "coven@muc.test/thirdwitch", "hag66@test/pda") && e.GetStanzaType() == "unavailable");
        Assert.That(Codes(removed), Does.Contain("322"));
        var seenByCat = await _h.WaitForAsync(e => PresenceFrom(e, "coven@muc.test/thirdwitch", "cat@test/l") && e.GetStanzaType() == "unavailable");
        Assert.That(Codes(seenByCat), Does.Contain("322"));
        Assert.That(_h.Rooms.Find(Jid.Parse("coven@mix.test"))!.FindOccupant("cat"), Is.Not.Null, "members stay");
    }

    [Test]
    public async Task An_online_mix_participant_is_an_occupant_on_the_muc_face_and_an_occupant_shows_in_mix_presence()
    {
        await CreateInstantRoomAsync();
        var join = await _h.IqAsync($"<iq type='set' id='j' from='hecate@test/mix' to='coven@mix.test'><join xmlns='{Core}'>" +
                                    "<subscribe node='urn:xmpp:mix:nodes:messages'/><subscribe node='urn:xmpp:mix:nodes:presence'/><nick>hecate</nick></join></iq>");
        Assert.That(join.GetStanzaType(), Is.EqualTo("result"), join.ToString());
        var appeared = await _h.WaitForAsync(e => PresenceFrom(e, "coven@muc.test/hecate", "owner@test/a"));
        Assert.That(appeared.GetStanzaType(), Is.Null);

        // Someone entering later sees the participant among the occupants; a MUC user cannot take its nick.
        await _h.SendAsync($"<presence id='taken' from='other@test/x' to='coven@muc.test/hecate'><x xmlns='{MucNs}'/></presence>");
        Assert.That(StanzaError.FromStanza(await _h.WaitForAsync(e => e.GetId() == "taken"))!.Condition, Is.EqualTo(StanzaErrorCondition.Conflict));
        await _h.SendAsync($"<presence from='hag66@test/pda' to='coven@muc.test/thirdwitch'><x xmlns='{MucNs}'/></presence>");
        await _h.WaitForAsync(e => PresenceFrom(e, "coven@muc.test/hecate", "hag66@test/pda"));

        // The MUC occupant shows on the MIX face's presence node.
        var mixPresence = await _h.WaitForAsync(e => e.Name.LocalName == "presence" && (string?)e.Attribute("to") == "hecate@test/mix"
                                                     && ((string?)e.Attribute("from"))!.EndsWith("#coven@mix.test/pda"));
        Assert.That(mixPresence.Descendants(XNamespace.Get("urn:xmpp:mix:presence:0") + "nick").Single().Value, Is.EqualTo("thirdwitch"));

        // Leaving the channel takes the participant off the MUC face.
        await _h.IqAsync($"<iq type='set' id='l' from='hecate@test/mix' to='coven@mix.test'><leave xmlns='{Core}'/></iq>");
        var left = await _h.WaitForAsync(e => PresenceFrom(e, "coven@muc.test/hecate", "hag66@test/pda") && e.GetStanzaType() == "unavailable");
        Assert.That(left, Is.Not.Null);
    }

    [Test]
    public async Task A_repeated_join_from_a_joined_client_gets_the_whole_sequence_again()
    {
        await CreateInstantRoomAsync();
        await EnterAsync("hag66@test/pda", "thirdwitch");
        _h.TakeSent();
        await _h.SendAsync($"<presence from='hag66@test/pda' to='coven@muc.test/thirdwitch'><x xmlns='{MucNs}'/></presence>");
        var self = await _h.WaitForAsync(e => PresenceFrom(e, "coven@muc.test/thirdwitch", "hag66@test/pda") && Codes(e).Contains("110"));
        Assert.That(self, Is.Not.Null);
        await _h.WaitForAsync(e => PresenceFrom(e, "coven@muc.test/boss", "hag66@test/pda"));
        await _h.WaitForAsync(e => (string?)e.Attribute("to") == "hag66@test/pda" && e.Element(Ns.Component + "subject") != null);
    }

    [TestCase("<history maxchars='0'/>", 0)]
    [TestCase("<history maxstanzas='2'/>", 2)]
    [TestCase("<history seconds='3600'/>", 3)]
    [TestCase("<history since='1970-01-01T00:00:00Z'/>", 3)]
    [TestCase("<history since='2999-01-01T00:00:00Z'/>", 0)]
    public async Task History_follows_the_clients_limits(string history, int expected)
    {
        await CreateInstantRoomAsync();
        for (var i = 0; i < 3; i++)
            await _h.SendAsync($"<message type='groupchat' from='owner@test/a' to='coven@muc.test'><body>old {i}</body></message>");
        await _h.WaitForAsync(e => (string?)e.Attribute("to") == "owner@test/a" && e.Element(Ns.Component + "body")?.Value == "old 2");
        _h.TakeSent();
        await _h.SendAsync($"<presence from='late@test/x' to='coven@muc.test/late'><x xmlns='{MucNs}'>{history}</x></presence>");
        await _h.WaitForAsync(e => (string?)e.Attribute("to") == "late@test/x" && e.Element(Ns.Component + "subject") != null);
        await _h.SettleAsync();
        var delayed = _h.TakeSent().Where(e => (string?)e.Attribute("to") == "late@test/x" && e.Element(Ns.Delay + "delay") != null).ToList();
        Assert.That(delayed, Has.Count.EqualTo(expected));
    }

    [Test]
    public async Task A_full_room_refuses_with_service_unavailable_but_admits_its_owner()
    {
        await CreateInstantRoomAsync(config: "<field var='muc#roomconfig_maxusers'><value>1</value></field>");
        await _h.SendAsync($"<presence id='full' from='hag66@test/pda' to='coven@muc.test/thirdwitch'><x xmlns='{MucNs}'/></presence>");
        var refused = await _h.WaitForAsync(e => e.GetId() == "full");
        Assert.That(StanzaError.FromStanza(refused)!.Condition, Is.EqualTo(StanzaErrorCondition.ServiceUnavailable));
        await EnterAsync("owner@test/second", "boss");
    }

    [Test]
    public async Task A_message_from_someone_not_in_the_room_is_not_acceptable()
    {
        await CreateInstantRoomAsync();
        await _h.SendAsync("<message type='groupchat' id='out' from='stranger@test/x' to='coven@muc.test'><body>hi</body></message>");
        Assert.That(StanzaError.FromStanza(await _h.WaitForAsync(e => e.GetId() == "out"))!.Condition, Is.EqualTo(StanzaErrorCondition.NotAcceptable));
    }

    [Test]
    public async Task Destroying_the_channel_on_the_mix_face_tells_the_muc_occupants()
    {
        await CreateInstantRoomAsync();
        await EnterAsync("hag66@test/pda", "thirdwitch");
        var ok = await _h.IqAsync($"<iq type='set' id='dx' from='owner@test/a' to='mix.test'><destroy channel='coven' xmlns='{Core}'/></iq>");
        Assert.That(ok.GetStanzaType(), Is.EqualTo("result"), ok.ToString());
        await _h.WaitForAsync(e => PresenceFrom(e, "coven@muc.test/thirdwitch", "hag66@test/pda") && e.Descendants(Ns.MucUser + "destroy").Any());
        Assert.That(_h.Rooms.Find(Jid.Parse("coven@mix.test")), Is.Null);
    }
}
