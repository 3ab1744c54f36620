using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Mix;

/// <summary>MIX-ADMIN (XEP-0406): config, info, allowed and banned nodes, and who may touch them.</summary>
[TestFixture]
public sealed class MixAdminTests
{
    private const string Core = "urn:xmpp:mix:core:1";
    private const string PubSub = "http://jabber.org/protocol/pubsub";
    private RoomHostHarness _mix = null!;

    [SetUp]
    public async Task SetUp()
    {
        _mix = await RoomHostHarness.StartAsync();
        await _mix.IqAsync($"<iq type='set' id='c' from='owner@test/a' to='mix.test'><create channel='coven' xmlns='{Core}'/></iq>");
    }

    [TearDown]
    public async Task TearDown() => await _mix.DisposeAsync();

    private Task<XElement> JoinAsync(string jid, string nick) =>
        _mix.IqAsync($"<iq type='set' id='j-{nick}' from='{jid}' to='coven@mix.test'><join xmlns='{Core}'><subscribe node='urn:xmpp:mix:nodes:messages'/><subscribe node='urn:xmpp:mix:nodes:participants'/><nick>{nick}</nick></join></iq>");

    private Task<XElement> ItemsAsync(string from, string node) =>
        _mix.IqAsync($"<iq type='get' id='g{Guid.NewGuid():N}' from='{from}' to='coven@mix.test'><pubsub xmlns='{PubSub}'><items node='{node}'/></pubsub></iq>");

    private Task<XElement> PublishAsync(string from, string node, string item) =>
        _mix.IqAsync($"<iq type='set' id='p{Guid.NewGuid():N}' from='{from}' to='coven@mix.test'><pubsub xmlns='{PubSub}'><publish node='{node}'>{item}</publish></pubsub></iq>");

    private static string Form(string type, params (string Var, string[] Values)[] fields) =>
        $"<x xmlns='jabber:x:data' type='{type}'><field var='FORM_TYPE' type='hidden'><value>urn:xmpp:mix:admin:0</value></field>" +
        string.Concat(fields.Select(f => $"<field var='{f.Var}'>{string.Concat(f.Values.Select(v => $"<value>{v}</value>"))}</field>")) + "</x>";

    private static StanzaErrorCondition? ErrorOf(XElement e) => StanzaError.FromStanza(e)?.Condition;

    [Test]
    public async Task The_owner_reads_the_configuration_form_and_others_may_not()
    {
        var config = await ItemsAsync("owner@test/a", "urn:xmpp:mix:nodes:config");
        var form = DataForm.Parse(config.Descendants(Ns.DataForms + "x").Single());
        Assert.That(form.FormType, Is.EqualTo("urn:xmpp:mix:admin:0"));
        Assert.That(form.GetValues("Owner"), Is.EqualTo(new[] { "owner@test" }));
        Assert.That(form.GetValue("Mandatory Nicks"), Is.EqualTo("1"));
        Assert.That(ErrorOf(await ItemsAsync("hag66@test/pda", "urn:xmpp:mix:nodes:config")), Is.EqualTo(StanzaErrorCondition.Forbidden));
    }

    [Test]
    public async Task The_owner_appoints_administrators_and_owners_and_a_channel_keeps_at_least_one_owner()
    {
        var ok = await PublishAsync("owner@test/a", "urn:xmpp:mix:nodes:config",
            "<item>" + Form("submit", ("Owner", ["owner@test", "hecate@test"]), ("Administrator", ["greymalkin@test"])) + "</item>");
        Assert.That(ok.GetStanzaType(), Is.EqualTo("result"), ok.ToString());
        var room = _mix.Rooms.Find(Jid.Parse("coven@mix.test"))!;
        Assert.That(room.IsOwner(Jid.Parse("hecate@test")), Is.True);
        Assert.That(room.IsAdmin(Jid.Parse("greymalkin@test")), Is.True);
        Assert.That(room.IsOwner(Jid.Parse("greymalkin@test")), Is.False);

        var none = await PublishAsync("owner@test/a", "urn:xmpp:mix:nodes:config", "<item>" + Form("submit", ("Owner", [])) + "</item>");
        Assert.That(ErrorOf(none), Is.EqualTo(StanzaErrorCondition.NotAcceptable));
        var notOwner = await PublishAsync("greymalkin@test/x", "urn:xmpp:mix:nodes:config", "<item>" + Form("submit", ("Owner", ["greymalkin@test"])) + "</item>");
        Assert.That(ErrorOf(notOwner), Is.EqualTo(StanzaErrorCondition.Forbidden));
    }

    [Test]
    public async Task An_unsupported_option_value_is_refused_not_ignored()
    {
        var r = await PublishAsync("owner@test/a", "urn:xmpp:mix:nodes:config", "<item>" + Form("submit", ("Messages Node Subscription", ["anyone"])) + "</item>");
        Assert.That(ErrorOf(r), Is.EqualTo(StanzaErrorCondition.NotAcceptable));
    }

    [Test]
    public async Task Showing_jids_is_a_configuration_choice()
    {
        await JoinAsync("hag66@test/pda", "thirdwitch");
        await JoinAsync("hecate@test/home", "top witch");
        await PublishAsync("owner@test/a", "urn:xmpp:mix:nodes:config", "<item>" + Form("submit", ("JID Visibility", ["jid-mandatory-visible"])) + "</item>");
        _mix.TakeSent();
        await _mix.SendAsync("<message type='groupchat' from='hag66@test/pda' to='coven@mix.test'><body>who am I</body></message>");
        var toHecate = await _mix.WaitForAsync(e => (string?)e.Attribute("to") == "hecate@test/home" && e.Element(Ns.Component + "body") != null);
        Assert.That(toHecate.Descendants(XNamespace.Get(Core) + "jid").Single().Value, Is.EqualTo("hag66@test"));
    }

    [Test]
    public async Task Administrators_change_the_information_node_and_subscribers_are_told()
    {
        await _mix.IqAsync($"<iq type='set' id='s' from='hag66@test/pda' to='coven@mix.test'><join xmlns='{Core}'><subscribe node='urn:xmpp:mix:nodes:info'/><nick>h</nick></join></iq>");
        var denied = await PublishAsync("hag66@test/pda", "urn:xmpp:mix:nodes:info",
            "<item><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>urn:xmpp:mix:core:1</value></field><field var='Name'><value>Mine</value></field></x></item>");
        Assert.That(ErrorOf(denied), Is.EqualTo(StanzaErrorCondition.Forbidden));
        _mix.TakeSent();
        var ok = await PublishAsync("owner@test/a", "urn:xmpp:mix:nodes:info",
            "<items><item><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>urn:xmpp:mix:core:1</value></field>" +
            "<field var='Name'><value>Witches Coven</value></field><field var='Description'><value>Near the heath</value></field></x></item></items>");
        Assert.That(ok.GetStanzaType(), Is.EqualTo("result"), ok.ToString());
        var note = await _mix.WaitForAsync(e => (string?)e.Attribute("to") == "hag66@test/pda" && e.Descendants(Ns.DataForms + "x").Any());
        Assert.That(DataForm.Parse(note.Descendants(Ns.DataForms + "x").Single()).GetValue("Name"), Is.EqualTo("Witches Coven"));
        var info = await _mix.IqAsync("<iq type='get' id='ci' from='user@test/a' to='coven@mix.test'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        Assert.That(DiscoInfo.Parse(info.Element(Ns.DiscoInfo + "query")!).Identities.Single().Name, Is.EqualTo("Witches Coven"));
    }

    [Test]
    public async Task Publishing_to_the_allowed_node_makes_the_channel_allowed_only()
    {
        var r = await PublishAsync("owner@test/a", "urn:xmpp:mix:nodes:allowed", "<item id='hag66@test'/>");
        Assert.That(r.GetStanzaType(), Is.EqualTo("result"), r.ToString());
        Assert.That((await JoinAsync("hag66@test/pda", "thirdwitch")).GetStanzaType(), Is.EqualTo("result"));
        Assert.That(ErrorOf(await JoinAsync("stranger@test/x", "stranger")), Is.EqualTo(StanzaErrorCondition.Forbidden));

        await PublishAsync("owner@test/a", "urn:xmpp:mix:nodes:allowed", "<item id='friends.test'/>");
        Assert.That((await JoinAsync("anyone@friends.test/x", "friend")).GetStanzaType(), Is.EqualTo("result"), "a domain on the allowed node admits its users");

        var allowed = await ItemsAsync("owner@test/a", "urn:xmpp:mix:nodes:allowed");
        Assert.That(allowed.Descendants(Ns.PubSub + "item").Select(i => (string?)i.Attribute("id")), Is.SupersetOf(new[] { "hag66@test", "friends.test" }));
        Assert.That(ErrorOf(await ItemsAsync("hag66@test/pda", "urn:xmpp:mix:nodes:allowed")), Is.EqualTo(StanzaErrorCondition.Forbidden));
    }

    [Test]
    public async Task Banning_removes_a_participant_and_keeps_them_out_until_unbanned()
    {
        await JoinAsync("hag66@test/pda", "thirdwitch");
        await JoinAsync("hecate@test/home", "top witch");
        _mix.TakeSent();
        var ban = await PublishAsync("owner@test/a", "urn:xmpp:mix:nodes:banned", "<item id='hag66@test'/>");
        Assert.That(ban.GetStanzaType(), Is.EqualTo("result"), ban.ToString());
        await _mix.WaitForAsync(e => (string?)e.Attribute("to") == "hecate@test/home" && e.Descendants(Ns.PubSubEvent + "retract").Any());
        Assert.That(ErrorOf(await JoinAsync("hag66@test/pda", "thirdwitch")), Is.EqualTo(StanzaErrorCondition.Forbidden));

        var unban = await _mix.IqAsync($"<iq type='set' id='u' from='owner@test/a' to='coven@mix.test'><pubsub xmlns='{PubSub}'><retract node='urn:xmpp:mix:nodes:banned'><item id='hag66@test'/></retract></pubsub></iq>");
        Assert.That(unban.GetStanzaType(), Is.EqualTo("result"), unban.ToString());
        Assert.That((await JoinAsync("hag66@test/pda", "thirdwitch")).GetStanzaType(), Is.EqualTo("result"));
    }

    [Test]
    public async Task Only_administrators_may_ban()
    {
        await JoinAsync("hag66@test/pda", "thirdwitch");
        Assert.That(ErrorOf(await PublishAsync("hag66@test/pda", "urn:xmpp:mix:nodes:banned", "<item id='owner@test'/>")), Is.EqualTo(StanzaErrorCondition.Forbidden));
    }

    [Test]
    public async Task Administration_survives_a_restart()
    {
        await PublishAsync("owner@test/a", "urn:xmpp:mix:nodes:config", "<item>" + Form("submit", ("Administrator", ["greymalkin@test"])) + "</item>");
        await PublishAsync("owner@test/a", "urn:xmpp:mix:nodes:banned", "<item id='lear@test'/>");
        _mix = await _mix.RestartAsync();
        var room = _mix.Rooms.Find(Jid.Parse("coven@mix.test"))!;
        Assert.That(room.IsAdmin(Jid.Parse("greymalkin@test")), Is.True);
        Assert.That(room.IsBanned(Jid.Parse("lear@test")), Is.True);
    }
}
