using System.Xml.Linq;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Mix;

/// <summary>MIX-MISC (XEP-0407): nick registration at a channel, message retraction, invitations.</summary>
[TestFixture]
public sealed class MixMiscTests
{
    private const string Core = "urn:xmpp:mix:core:1";
    private const string Misc = "urn:xmpp:mix:misc:0";
    private static readonly XNamespace CoreNs = Core;
    private static readonly XNamespace MiscNs = Misc;
    private static readonly XNamespace Forward = "urn:xmpp:forward:0";
    private static readonly XNamespace MessageRetract = "urn:xmpp:message-retract:1";
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

    private Room Coven => _mix.Rooms.Find(Jid.Parse("coven@mix.test"))!;

    private async Task<string> JoinAsync(string fullJid, string nick, string extra = "")
    {
        var result = await _mix.IqAsync($"<iq type='set' id='j-{nick}' from='{fullJid}' to='coven@mix.test'><join xmlns='{Core}'>" +
                                        $"<subscribe node='urn:xmpp:mix:nodes:messages'/><subscribe node='urn:xmpp:mix:nodes:participants'/><nick>{nick}</nick>{extra}</join></iq>");
        Assert.That(result.GetStanzaType(), Is.EqualTo("result"), result.ToString());
        var id = (string)result.Element(CoreNs + "join")!.Attribute("id")!;
        // The joiner hears of its own join on the participants node: once it has, the join's notifications are out.
        await _mix.WaitForAsync(e => (string?)e.Attribute("to") == fullJid &&
                                     e.Descendants(Ns.PubSubEvent + "item").Any(i => (string?)i.Attribute("id") == id));
        return id;
    }

    private static StanzaErrorCondition? ErrorOf(XElement e) => StanzaError.FromStanza(e)?.Condition;

    private Task<XElement> RegisterAsync(string id, string from, string to, string inner) =>
        _mix.IqAsync($"<iq type='set' id='{id}' from='{from}' to='{to}'><register xmlns='{Misc}'>{inner}</register></iq>");

    /// <summary>Posts a message and returns its archive id, read from the sender's reflection.</summary>
    private async Task<string> PostAsync(string fullJid, string body)
    {
        await _mix.SendAsync($"<message type='groupchat' from='{fullJid}' to='coven@mix.test'><body>{body}</body></message>");
        var echo = await _mix.WaitForAsync(e => (string?)e.Attribute("to") == fullJid && e.Element(Ns.Component + "body")?.Value == body);
        return echo.GetId()!;
    }

    private Task<XElement> RetractionTo(string fullJid, string archiveId) =>
        _mix.WaitForAsync(e => (string?)e.Attribute("to") == fullJid &&
                               (string?)e.Element(MiscNs + "retract")?.Attribute("id") == archiveId);

    // ---- nick registration ----

    [Test]
    public async Task The_channel_advertises_nick_registration()
    {
        var info = await _mix.IqAsync("<iq type='get' id='ci' from='user@test/a' to='coven@mix.test'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        Assert.That(DiscoInfo.Parse(info.Element(Ns.DiscoInfo + "query")!).Features, Does.Contain(Misc + "#nick-register").And.Contain(Misc));
    }

    [Test]
    public async Task Registering_at_a_channel_reserves_the_nick_and_makes_it_the_participants_nick_there()
    {
        var hagId = await JoinAsync("hag66@test/pda", "thirdwitch");
        await JoinAsync("hecate@test/home", "top witch");
        _mix.TakeSent();

        var ok = await RegisterAsync("r1", "hag66@test/pda", "coven@mix.test", "<nick>first witch</nick>");
        XmlAssert.AreEqual($"""
            <iq xmlns='jabber:component:accept' type='result' id='r1' from='coven@mix.test' to='hag66@test/pda'>
              <register xmlns='{Misc}'><nick>first witch</nick></register>
            </iq>
            """, ok);
        Assert.That(Coven.FindParticipant(Jid.Parse("hag66@test"))!.Nick, Is.EqualTo("first witch"));
        Assert.That(_mix.Rooms.NickOwner("first witch"), Is.EqualTo(Jid.Parse("hag66@test")));

        var note = await _mix.WaitForAsync(e => (string?)e.Attribute("to") == "hecate@test/home" &&
                                                e.Descendants(Ns.PubSubEvent + "item").Any(i => (string?)i.Attribute("id") == hagId));
        XmlAssert.AreEqual($"""
            <message xmlns='jabber:component:accept' from='coven@mix.test' to='hecate@test/home' id='{note.GetId()}'>
              <event xmlns='http://jabber.org/protocol/pubsub#event'>
                <items node='urn:xmpp:mix:nodes:participants'>
                  <item id='{hagId}'><participant xmlns='{Core}'><nick>first witch</nick></participant></item>
                </items>
              </event>
            </message>
            """, note);

        // The registration and the new nick are durable.
        _mix = await _mix.RestartAsync();
        Assert.That(_mix.Rooms.RegisteredNick(Jid.Parse("hag66@test")), Is.EqualTo("first witch"));
        Assert.That(Coven.FindParticipant(Jid.Parse("hag66@test"))!.Nick, Is.EqualTo("first witch"));
    }

    [Test]
    public async Task A_nick_registered_by_another_jid_or_used_by_another_participant_is_a_conflict()
    {
        await JoinAsync("hag66@test/pda", "thirdwitch");
        await JoinAsync("hecate@test/home", "top witch");
        Assert.That((await RegisterAsync("r1", "hag66@test/pda", "coven@mix.test", "<nick>first witch</nick>")).GetStanzaType(), Is.EqualTo("result"));

        Assert.That(ErrorOf(await RegisterAsync("r2", "hecate@test/home", "coven@mix.test", "<nick>First Witch</nick>")),
            Is.EqualTo(StanzaErrorCondition.Conflict), "registered by hag66");
        Assert.That(ErrorOf(await RegisterAsync("r3", "hag66@test/pda", "coven@mix.test", "<nick>Top Witch</nick>")),
            Is.EqualTo(StanzaErrorCondition.Conflict), "hecate's nick in this channel");
        Assert.That(ErrorOf(await RegisterAsync("r4", "stranger@test/x", "coven@mix.test", "<nick>top witch</nick>")),
            Is.EqualTo(StanzaErrorCondition.Conflict), "a non-participant cannot reserve it either");

        Assert.That(Coven.FindParticipant(Jid.Parse("hag66@test"))!.Nick, Is.EqualTo("first witch"), "a refused registration changes nothing");
        Assert.That(Coven.FindParticipant(Jid.Parse("hecate@test"))!.Nick, Is.EqualTo("top witch"));
        Assert.That(_mix.Rooms.RegisteredNick(Jid.Parse("hecate@test")), Is.Null);

        // Re-registering one's own nick is fine.
        Assert.That((await RegisterAsync("r5", "hag66@test/pda", "coven@mix.test", "<nick>first witch</nick>")).GetStanzaType(), Is.EqualTo("result"));
    }

    [Test]
    public async Task A_non_participant_only_reserves_the_nick_and_a_later_join_uses_it()
    {
        var ok = await RegisterAsync("r1", "cat@test/l", "coven@mix.test", "<nick>grimalkin</nick>");
        Assert.That(ok.Element(MiscNs + "register")!.Element(MiscNs + "nick")!.Value, Is.EqualTo("grimalkin"));
        Assert.That(Coven.FindParticipant(Jid.Parse("cat@test")), Is.Null, "registering does not join");
        Assert.That(_mix.Rooms.NickOwner("grimalkin"), Is.EqualTo(Jid.Parse("cat@test")));

        Assert.That(ErrorOf(await _mix.IqAsync($"<iq type='set' id='j1' from='dog@test/k' to='coven@mix.test'><join xmlns='{Core}'><nick>Grimalkin</nick></join></iq>")),
            Is.EqualTo(StanzaErrorCondition.Conflict));
        var joined = await _mix.IqAsync($"<iq type='set' id='j2' from='cat@test/l' to='coven@mix.test'><join xmlns='{Core}'><subscribe node='urn:xmpp:mix:nodes:messages'/></join></iq>");
        Assert.That(joined.Element(CoreNs + "join")!.Element(CoreNs + "nick")!.Value, Is.EqualTo("grimalkin"));
    }

    [Test]
    public async Task Registration_errors_and_a_nick_assigned_when_none_is_asked_for()
    {
        await JoinAsync("hag66@test/pda", "thirdwitch");
        Assert.That(ErrorOf(await RegisterAsync("e1", "hag66@test/pda", "coven@mix.test", "<nick>  </nick>")), Is.EqualTo(StanzaErrorCondition.BadRequest));
        Assert.That(ErrorOf(await RegisterAsync("e2", "hag66@test/pda", "nowhere@mix.test", "<nick>x</nick>")), Is.EqualTo(StanzaErrorCondition.ItemNotFound));
        Assert.That(Coven.FindParticipant(Jid.Parse("hag66@test"))!.Nick, Is.EqualTo("thirdwitch"));

        await _mix.Rooms.InvokeAsync(Coven, () => { Coven.SetAffiliation(Jid.Parse("banned@test"), Affiliation.Outcast); return ValueTask.CompletedTask; });
        Assert.That(ErrorOf(await RegisterAsync("e3", "banned@test/x", "coven@mix.test", "<nick>x</nick>")), Is.EqualTo(StanzaErrorCondition.Forbidden));

        // XEP-0407: without <nick/>, the service assigns one (a UUID).
        var assigned = await RegisterAsync("a1", "hag66@test/pda", "coven@mix.test", "");
        var nick = assigned.Element(MiscNs + "register")!.Element(MiscNs + "nick")!.Value;
        Assert.That(Guid.TryParse(nick, out _), Is.True, nick);
        Assert.That(Coven.FindParticipant(Jid.Parse("hag66@test"))!.Nick, Is.EqualTo(nick));
    }

    [Test]
    public async Task Registering_with_the_service_as_in_the_xep_example_only_registers()
    {
        await JoinAsync("hag66@test/pda", "thirdwitch");
        var ok = await RegisterAsync("s1", "hag66@test/pda", "mix.test", "<nick>first witch</nick>");
        XmlAssert.AreEqual($"<iq xmlns='jabber:component:accept' type='result' id='s1' from='mix.test' to='hag66@test/pda'><register xmlns='{Misc}'><nick>first witch</nick></register></iq>", ok);
        Assert.That(_mix.Rooms.RegisteredNick(Jid.Parse("hag66@test")), Is.EqualTo("first witch"));
        Assert.That(Coven.FindParticipant(Jid.Parse("hag66@test"))!.Nick, Is.EqualTo("thirdwitch"), "channel nicks are the channels' business");
        Assert.That(ErrorOf(await RegisterAsync("s2", "other@test/x", "mix.test", "<nick>first witch</nick>")), Is.EqualTo(StanzaErrorCondition.Conflict));
    }

    // ---- retraction ----

    [Test]
    public async Task The_sender_retracts_a_message_it_becomes_a_tombstone_and_the_retraction_is_reflected()
    {
        var hagId = await JoinAsync("hag66@test/pda", "thirdwitch");
        await JoinAsync("hecate@test/home", "top witch");
        var archiveId = await PostAsync("hag66@test/pda", "A Message I did not mean to send");
        await _mix.WaitForAsync(e => (string?)e.Attribute("to") == "hecate@test/home" && e.GetId() == archiveId);
        _mix.TakeSent();

        await _mix.SendAsync($"<message type='groupchat' id='92vax143g' from='hag66@test/pda' to='coven@mix.test'><retract id='{archiveId}' xmlns='{Misc}'/></message>");
        var toHecate = await RetractionTo("hecate@test/home", archiveId);
        XmlAssert.AreEqual($"""
            <message xmlns='jabber:component:accept' from='coven@mix.test/{hagId}' to='hecate@test/home' type='groupchat' id='{toHecate.GetId()}'>
              <retract xmlns='{Misc}' id='{archiveId}'/>
              <mix xmlns='{Core}'><nick>thirdwitch</nick></mix>
              <stanza-id xmlns='urn:xmpp:sid:0' id='{toHecate.GetId()}' by='coven@mix.test'/>
            </message>
            """, toHecate);
        await RetractionTo("hag66@test/pda", archiveId);

        var stored = await _mix.Archive.GetAsync("coven@mix.test", archiveId);
        Assert.That(stored!.Retracted, Is.True);
        Assert.That(stored.Stanza.Element(Ns.Component + "body"), Is.Null);
        var page = await _mix.Archive.QueryAsync("coven@mix.test", new XmppGroupChat.Archive.ArchiveQuery());
        Assert.That(page.Messages.Select(m => m.Id), Is.EqualTo(new[] { archiveId }), "the retraction itself is not archived");

        // MAM shows the tombstone.
        _mix.TakeSent();
        var fin = await _mix.IqAsync("<iq type='set' id='q' from='hecate@test/home' to='coven@mix.test'><query xmlns='urn:xmpp:mam:2' queryid='q'/></iq>");
        Assert.That(fin.GetStanzaType(), Is.EqualTo("result"), fin.ToString());
        var forwarded = _mix.TakeSent().Single(e => e.Descendants(Ns.Mam + "result").Any())
            .Element(Ns.Mam + "result")!.Element(Forward + "forwarded")!.Element(Ns.Client + "message")!;
        Assert.That(forwarded.Element(Ns.Client + "body"), Is.Null);
        Assert.That(forwarded.Element(MessageRetract + "retracted"), Is.Not.Null);
    }

    [Test]
    public async Task An_admin_may_retract_anyones_message_another_participant_may_not()
    {
        await JoinAsync("hag66@test/pda", "thirdwitch");
        await JoinAsync("hecate@test/home", "top witch");
        await JoinAsync("owner@test/a", "boss");
        var archiveId = await PostAsync("hag66@test/pda", "rude words");

        await _mix.SendAsync($"<message type='groupchat' id='x1' from='hecate@test/home' to='coven@mix.test'><retract xmlns='{Misc}' id='{archiveId}'/></message>");
        var refused = await _mix.WaitForAsync(e => e.GetId() == "x1");
        Assert.That(ErrorOf(refused), Is.EqualTo(StanzaErrorCondition.Forbidden));
        Assert.That((await _mix.Archive.GetAsync("coven@mix.test", archiveId))!.Retracted, Is.False);

        _mix.TakeSent();
        await _mix.SendAsync($"<message type='groupchat' id='x2' from='owner@test/a' to='coven@mix.test'><retract xmlns='{Misc}' id='{archiveId}'/></message>");
        var toHag = await RetractionTo("hag66@test/pda", archiveId);
        Assert.That(toHag.Element(CoreNs + "mix")!.Element(CoreNs + "nick")!.Value, Is.EqualTo("boss"), "reflected from the admin who retracted");
        Assert.That((await _mix.Archive.GetAsync("coven@mix.test", archiveId))!.Retracted, Is.True);
    }

    [Test]
    public async Task Retraction_errors_unknown_id_body_missing_id_non_participant()
    {
        await JoinAsync("hag66@test/pda", "thirdwitch");
        var archiveId = await PostAsync("hag66@test/pda", "keep me");

        async Task<StanzaErrorCondition?> Refusal(string id, string from, string inner)
        {
            await _mix.SendAsync($"<message type='groupchat' id='{id}' from='{from}' to='coven@mix.test'>{inner}</message>");
            return ErrorOf(await _mix.WaitForAsync(e => e.GetId() == id && e.IsErrorType()));
        }

        Assert.That(await Refusal("e1", "hag66@test/pda", $"<retract xmlns='{Misc}' id='no-such-id'/>"), Is.EqualTo(StanzaErrorCondition.ItemNotFound));
        Assert.That(await Refusal("e2", "hag66@test/pda", $"<body>oops</body><retract xmlns='{Misc}' id='{archiveId}'/>"), Is.EqualTo(StanzaErrorCondition.BadRequest));
        Assert.That(await Refusal("e3", "hag66@test/pda", $"<retract xmlns='{Misc}'/>"), Is.EqualTo(StanzaErrorCondition.BadRequest));
        Assert.That(await Refusal("e4", "lurker@test/x", $"<retract xmlns='{Misc}' id='{archiveId}'/>"), Is.EqualTo(StanzaErrorCondition.Forbidden));
        Assert.That(await Refusal("e5", "hag66@test/pda", $"<retract xmlns='{Misc}' id='{archiveId}'/><retract xmlns='{Misc}' id='{archiveId}'/>"),
            Is.EqualTo(StanzaErrorCondition.BadRequest));
        Assert.That((await _mix.Archive.GetAsync("coven@mix.test", archiveId))!.Retracted, Is.False, "no refused retraction touched the archive");

        // Messages without a retraction still go the ordinary way, and a bounce is still a bounce.
        await PostAsync("hag66@test/pda", "still works");
    }

    // ---- invitations ----

    private async Task<XElement> InvitationAsync(string from, string invitee, string type = "get")
    {
        var result = await _mix.IqAsync($"<iq type='{type}' id='inv-{invitee}-{type}' from='{from}' to='coven@mix.test'><invite xmlns='{Misc}'><invitee>{invitee}</invitee></invite></iq>");
        Assert.That(result.GetStanzaType(), Is.EqualTo("result"), result.ToString());
        return result.Element(MiscNs + "invite")!.Element(MiscNs + "invitation")!;
    }

    [Test]
    public async Task A_participant_gets_an_invitation_with_a_token()
    {
        await JoinAsync("hag66@test/UUID-h5z/0253", "thirdwitch");
        var result = await _mix.IqAsync($"<iq type='get' id='kl2fax27' from='hag66@test/UUID-h5z/0253' to='coven@mix.test'><invite xmlns='{Misc}'><invitee>cat@test</invitee></invite></iq>");
        var token = result.Descendants(MiscNs + "token").Single().Value;
        XmlAssert.AreEqual($"""
            <iq xmlns='jabber:component:accept' type='result' id='kl2fax27' from='coven@mix.test' to='hag66@test/UUID-h5z/0253'>
              <invite xmlns='{Misc}'>
                <invitation>
                  <inviter>hag66@test</inviter>
                  <invitee>cat@test</invitee>
                  <channel>coven@mix.test</channel>
                  <token>{token}</token>
                </invitation>
              </invite>
            </iq>
            """, result);
        Assert.That(token, Is.Not.Empty);

        // type='set' is understood too, and a full JID invitee is reduced to the bare JID.
        var viaSet = await InvitationAsync("hag66@test/UUID-h5z/0253", "dog@test/kennel", "set");
        Assert.That(viaSet.Element(MiscNs + "invitee")!.Value, Is.EqualTo("dog@test"));
    }

    [Test]
    public async Task Inviting_needs_permission_and_a_well_formed_invitee()
    {
        await JoinAsync("hag66@test/pda", "thirdwitch");
        Task<XElement> Invite(string id, string from, string inner) =>
            _mix.IqAsync($"<iq type='get' id='{id}' from='{from}' to='coven@mix.test'><invite xmlns='{Misc}'>{inner}</invite></iq>");

        Assert.That(ErrorOf(await Invite("i1", "lurker@test/x", "<invitee>cat@test</invitee>")), Is.EqualTo(StanzaErrorCondition.Forbidden));
        Assert.That(ErrorOf(await Invite("i2", "hag66@test/pda", "")), Is.EqualTo(StanzaErrorCondition.BadRequest));
        Assert.That(ErrorOf(await Invite("i3", "hag66@test/pda", "<invitee>@@bad</invitee>")), Is.EqualTo(StanzaErrorCondition.JidMalformed));
        Assert.That(ErrorOf(await Invite("i4", "hag66@test/pda", "<invitee>test</invitee>")), Is.EqualTo(StanzaErrorCondition.JidMalformed), "a domain is not a user");
        Assert.That(ErrorOf(await _mix.IqAsync($"<iq type='get' id='i5' from='hag66@test/pda' to='nowhere@mix.test'><invite xmlns='{Misc}'><invitee>cat@test</invitee></invite></iq>")),
            Is.EqualTo(StanzaErrorCondition.ItemNotFound));

        // Where participants may not invite, admins still may (the owner need not be a participant).
        Coven.Config = Coven.Config.With(XmppGroupChat.Mix.Features.InvitationRights.Field, false);
        Assert.That(ErrorOf(await Invite("i6", "hag66@test/pda", "<invitee>cat@test</invitee>")), Is.EqualTo(StanzaErrorCondition.Forbidden));
        Assert.That((await InvitationAsync("owner@test/a", "cat@test")).Element(MiscNs + "inviter")!.Value, Is.EqualTo("owner@test"));
    }

    [Test]
    public async Task An_invitation_admits_its_invitee_to_an_allowed_only_channel_and_nobody_else()
    {
        await JoinAsync("hag66@test/pda", "thirdwitch");
        Coven.Config = Coven.Config.With(XmppGroupChat.Mix.Features.MembersOnly.Field, true);

        Assert.That(ErrorOf(await _mix.IqAsync($"<iq type='set' id='n1' from='cat@test/l' to='coven@mix.test'><join xmlns='{Core}'><nick>cat</nick></join></iq>")),
            Is.EqualTo(StanzaErrorCondition.Forbidden), "no invitation");

        var invitation = await InvitationAsync("hag66@test/pda", "cat@test");
        var token = invitation.Element(MiscNs + "token")!.Value;
        string InvitationXml(string invitee, string t) =>
            $"<invitation xmlns='{Misc}'><inviter>hag66@test</inviter><invitee>{invitee}</invitee><channel>coven@mix.test</channel><token>{t}</token></invitation>";
        Task<XElement> JoinWith(string id, string from, string invitationXml) =>
            _mix.IqAsync($"<iq type='set' id='{id}' from='{from}' to='coven@mix.test'><join xmlns='{Core}'><nick>{from.Split('@')[0]}</nick>" +
                         $"<subscribe node='urn:xmpp:mix:nodes:messages'/>{invitationXml}</join></iq>");

        Assert.That(ErrorOf(await JoinWith("n2", "dog@test/k", InvitationXml("cat@test", token))), Is.EqualTo(StanzaErrorCondition.Forbidden),
            "cat's invitation does not admit dog");
        Assert.That(ErrorOf(await JoinWith("n3", "dog@test/k", InvitationXml("dog@test", token))), Is.EqualTo(StanzaErrorCondition.Forbidden),
            "nor does rewriting the invitee");
        var tampered = token[..10] + (token[10] == 'A' ? 'B' : 'A') + token[11..];
        Assert.That(ErrorOf(await JoinWith("n4", "cat@test/l", InvitationXml("cat@test", tampered))), Is.EqualTo(StanzaErrorCondition.Forbidden),
            "a tampered token");
        Assert.That(Coven.FindParticipant(Jid.Parse("cat@test")), Is.Null);

        var joined = await JoinWith("n5", "cat@test/l", InvitationXml("cat@test", token));
        Assert.That(joined.GetStanzaType(), Is.EqualTo("result"), joined.ToString());
        Assert.That(joined.Element(CoreNs + "join")!.Element(CoreNs + "nick")!.Value, Is.EqualTo("cat"));
        Assert.That(Coven.FindParticipant(Jid.Parse("cat@test")), Is.Not.Null);

        // The invitation put cat on the allowed list: after leaving, cat may come back without it.
        Assert.That(Coven.AffiliationOf(Jid.Parse("cat@test")), Is.EqualTo(Affiliation.Member));
        await _mix.IqAsync($"<iq type='set' id='n6' from='cat@test/l' to='coven@mix.test'><leave xmlns='{Core}'/></iq>");
        var back = await _mix.IqAsync($"<iq type='set' id='n7' from='cat@test/l' to='coven@mix.test'><join xmlns='{Core}'><nick>cat</nick></join></iq>");
        Assert.That(back.GetStanzaType(), Is.EqualTo("result"), back.ToString());
    }

    private static string AckXml(string value, string invitee, string token, string channel = "coven@mix.test") =>
        $"<invitation-ack xmlns='{Misc}'><value>{value}</value><invitation><inviter>hag66@test</inviter><invitee>{invitee}</invitee>" +
        $"<channel>{channel}</channel><token>{token}</token></invitation></invitation-ack>";

    [Test]
    public async Task An_invitees_acknowledgement_to_the_channel_is_passed_on_to_the_inviter()
    {
        await JoinAsync("hag66@test/pda", "thirdwitch");
        var token = (await InvitationAsync("hag66@test/pda", "cat@test")).Element(MiscNs + "token")!.Value;
        _mix.TakeSent();

        await _mix.SendAsync($"<message id='b6p9llze' from='cat@test/l' to='coven@mix.test'><body>No Thanks - too busy chasing mice</body>{AckXml("Declined", "cat@test", token)}</message>");
        var passed = await _mix.WaitForAsync(e => (string?)e.Attribute("to") == "hag66@test/pda" && e.Element(MiscNs + "invitation-ack") != null);
        XmlAssert.AreEqual($"""
            <message xmlns='jabber:component:accept' from='coven@mix.test' to='hag66@test/pda' id='{passed.GetId()}'>
              <invitation-ack xmlns='{Misc}'>
                <value>Declined</value>
                <invitation>
                  <inviter>hag66@test</inviter>
                  <invitee>cat@test</invitee>
                  <channel>coven@mix.test</channel>
                  <token>{token}</token>
                </invitation>
              </invitation-ack>
            </message>
            """, passed);
        await _mix.SettleAsync();
        Assert.That(_mix.TakeSent().Where(e => e.GetId() == "b6p9llze"), Is.Empty, "the invitee gets no answer");
    }

    [Test]
    public async Task An_acknowledgement_that_cannot_be_passed_on_is_dropped_and_a_malformed_one_refused()
    {
        await JoinAsync("hag66@test/pda", "thirdwitch");
        var token = (await InvitationAsync("hag66@test/pda", "cat@test")).Element(MiscNs + "token")!.Value;
        var ownerToken = (await InvitationAsync("owner@test/a", "cat@test")).Element(MiscNs + "token")!.Value;
        _mix.TakeSent();

        // Dropped silently: not from the invitee, a token the channel did not issue, an inviter who is not a participant.
        await _mix.SendAsync($"<message id='d1' from='dog@test/k' to='coven@mix.test'>{AckXml("Joined", "cat@test", token)}</message>");
        await _mix.SendAsync($"<message id='d2' from='cat@test/l' to='coven@mix.test'>{AckXml("Joined", "cat@test", "forged")}</message>");
        await _mix.SendAsync($"<message id='d3' from='cat@test/l' to='coven@mix.test'>{AckXml("Joined", "cat@test", ownerToken).Replace("hag66@test", "owner@test")}</message>");
        await _mix.SettleAsync();
        Assert.That(_mix.TakeSent(), Is.Empty);

        async Task<StanzaErrorCondition?> Refusal(string id, string ack)
        {
            await _mix.SendAsync($"<message id='{id}' from='cat@test/l' to='coven@mix.test'>{ack}</message>");
            return ErrorOf(await _mix.WaitForAsync(e => e.GetId() == id && e.IsErrorType()));
        }
        Assert.That(await Refusal("m1", $"<invitation-ack xmlns='{Misc}'><value>Joined</value></invitation-ack>"), Is.EqualTo(StanzaErrorCondition.BadRequest));
        Assert.That(await Refusal("m2", AckXml("Maybe", "cat@test", token)), Is.EqualTo(StanzaErrorCondition.BadRequest));
        Assert.That(await Refusal("m3", AckXml("Joined", "@@bad", token)), Is.EqualTo(StanzaErrorCondition.JidMalformed));
        Assert.That(await Refusal("m4", AckXml("Joined", "cat@test", token, channel: "other@mix.test")), Is.EqualTo(StanzaErrorCondition.BadRequest));
    }
}
