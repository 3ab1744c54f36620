using System.Xml.Linq;
using XmppGroupChat.Xmpp;
using XmppGroupChat.DmucReplica.Dmuc;

namespace XmppGroupChat.Tests.Unit.Dmuc;

/// <summary>Leaving, presence updates, message broadcast and submission, private messages (wire contract 3, 4, 5): golden stanzas.</summary>
[TestFixture]
public sealed class ReplicaRoomTrafficTests : ReplicaTestBase
{
    [Test]
    public async Task A_message_broadcast_is_stored_and_delivered_to_every_local_user_without_the_dmuc_element()
    {
        await TroyInTheRoomAsync();
        await WizInTheRoomAsync();
        await H.SendAsync(Broadcast("Wumpus", "Phaedrus, we're all having a truly rotten time.", "p2", "1990-10-13T23:58:37Z"));
        var sent = await H.SettleAsync();
        Assert.That(sent, Has.Count.EqualTo(2), string.Join("\n", sent));
        foreach (var user in new[] { Troy, Wiz })
            Golden($"<message from='{R}/Wumpus' to='{user}' type='groupchat' id='p2'><body>Phaedrus, we're all having a truly rotten time.</body>" +
                   $"<stanza-id xmlns='urn:xmpp:sid:0' id='p2' by='{Primary}'/><occupant-id xmlns='urn:xmpp:occupant-id:0' id='o-wumpus'/></message>",
                sent.Single(e => To(e, user)));

        var stored = await H.Replica.Store.HistoryAsync(H.Replica.Rooms.All.Single(), 10, CancellationToken.None);
        Assert.That(stored.Select(m => (string?)m.Element(Ns.StanzaId + "stanza-id")!.Attribute("id")), Is.EqualTo(new[] { "p1", "p2" }));
        Assert.That((string?)stored[1].Element(Ns.Dmuc + "x")!.Element(Ns.Delay + "delay")!.Attribute("stamp"), Is.EqualTo("1990-10-13T23:58:37Z"),
            "kept with the primary's time, for history");

        await H.SendAsync(Broadcast("Wumpus", "Phaedrus, we're all having a truly rotten time.", "p2", "1990-10-13T23:58:37Z"));
        Assert.That(await H.SettleAsync(), Is.Empty, "a copy the replica holds already is dropped");
    }

    [Test]
    public async Task A_local_message_goes_to_the_primary_with_an_origin_id_and_reaches_local_users_with_the_primarys_copy()
    {
        await TroyInTheRoomAsync();
        await WizInTheRoomAsync();
        await H.SendAsync($"<message from='{Troy}' to='{R}' type='groupchat' id='t1'><body>Was that absolutely necessary?</body></message>");
        var sent = await H.SettleAsync();
        Assert.That(sent, Has.Count.EqualTo(1), "only the submission; local users wait for the primary's copy");
        var originId = (string?)sent[0].Element(Ns.StanzaId + "origin-id")?.Attribute("id");
        Assert.That(originId, Is.Not.Null.And.Not.Empty, "the replica adds an origin-id so a resubmission is idempotent");
        Golden($"<message from='{Rs(Troy)}' to='{Primary}' type='groupchat' id='t1'><body>Was that absolutely necessary?</body>" +
               $"<origin-id xmlns='urn:xmpp:sid:0' id='{originId}'/></message>", sent[0]);

        await H.SendAsync(Broadcast("Troy", "Was that absolutely necessary?", "p2", "1990-10-13T23:59:00Z", originId));
        var back = await H.SettleAsync();
        Assert.That(back.Select(e => (string?)e.Attribute("to")), Is.EquivalentTo(new[] { Troy, Wiz }), "the sender gets its reflection too");
        Assert.That(back.All(e => (string?)e.Attribute("from") == $"{R}/Troy"));
        Assert.That(H.Replica.Rooms.All.Single().Pending, Is.Empty, "the primary's copy confirms it");
    }

    [Test]
    public async Task A_client_origin_id_is_kept_and_an_error_from_the_primary_reaches_the_sender()
    {
        await TroyInTheRoomAsync();
        await H.SendAsync($"<message from='{Troy}' to='{R}' type='groupchat' id='t1'><body>voice?</body><origin-id xmlns='urn:xmpp:sid:0' id='mine'/></message>");
        var submitted = (await H.SettleAsync()).Single();
        Assert.That((string?)submitted.Element(Ns.StanzaId + "origin-id")!.Attribute("id"), Is.EqualTo("mine"));

        await H.SendAsync($"<message from='{Primary}' to='{Rs(Troy)}' type='error' id='t1'><origin-id xmlns='urn:xmpp:sid:0' id='mine'/>" +
                          "<error type='auth'><forbidden xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
        var error = (await H.SettleAsync()).Single();
        Golden($"<message from='{R}' to='{Troy}' type='error' id='t1'><origin-id xmlns='urn:xmpp:sid:0' id='mine'/>" +
               "<error type='auth'><forbidden xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>", error);
        Assert.That(H.Replica.Rooms.All.Single().Pending, Is.Empty, "a refused message is not resubmitted later");
        Assert.That(H.Replica.Rooms.All.Single().Link, Is.EqualTo(XmppGroupChat.DmucReplica.Dmuc.PrimaryLink.Live), "a refusal is not a split");
    }

    [Test]
    public async Task Presence_updates_update_the_copy_and_a_users_own_status_comes_back_with_110()
    {
        await TroyInTheRoomAsync();
        await H.SendAsync(Occupant("Wumpus", "owner", "moderator", extra: "<show>away</show><status>squit</status>"));
        var update = (await H.SettleAsync()).Single();
        Golden($"<presence from='{R}/Wumpus' to='{Troy}'><show>away</show><status>squit</status>" +
               $"<x xmlns='{MucUserNs}'><item affiliation='owner' role='moderator'/></x><occupant-id xmlns='urn:xmpp:occupant-id:0' id='o-wumpus'/></presence>", update);

        await H.SendAsync($"<presence from='{Troy}' to='{R}/Troy'><show>dnd</show></presence>");
        var upstream = (await H.SettleAsync()).Single();
        Golden($"<presence from='{Rs(Troy)}' to='{Primary}/Troy'><show>dnd</show></presence>", upstream);
        // The primary's broadcast (for the replica's other users) and the user's own copy, to its session address.
        await H.SendAsync(Occupant("Troy", extra: "<show>dnd</show>"));
        Assert.That(await H.SettleAsync(), Is.Empty, "the broadcast copy is not shown to the user it is about");
        await H.SendAsync($"<presence from='{Primary}/Troy' to='{Rs(Troy)}'><show>dnd</show><x xmlns='{MucUserNs}'><item affiliation='none' role='participant' jid='{Troy}'/>" +
                          "<status code='110'/></x></presence>");
        var own = (await H.SettleAsync()).Single();
        Golden($"<presence from='{R}/Troy' to='{Troy}'><show>dnd</show><x xmlns='{MucUserNs}'><item affiliation='none' role='participant' jid='{Troy}'/>" +
               "<status code='110'/></x></presence>", own);

        // A user entering now sees the updated copy.
        await WizInTheRoomAsync();
        var room = H.Replica.Rooms.All.Single();
        Assert.That(room.Roster["Wumpus"].Presence.Element(Ns.Component + "show")!.Value, Is.EqualTo("away"));
    }

    [Test]
    public async Task Leaving_goes_through_the_primary_and_the_last_local_user_out_lets_the_room_go()
    {
        await TroyInTheRoomAsync();
        await WizInTheRoomAsync();
        await H.SendAsync($"<presence from='{Wiz}' to='{R}/WiZ' type='unavailable'><status>bye</status></presence>");
        var upstream = (await H.SettleAsync()).Single();
        Golden($"<presence from='{Rs(Wiz)}' to='{Primary}/WiZ' type='unavailable'><status>bye</status></presence>", upstream);

        await H.SendAsync($"<presence from='{Primary}/WiZ' to='{R}' type='unavailable'><status>bye</status><x xmlns='{MucUserNs}'><item affiliation='none' role='none'/></x></presence>");
        await H.SendAsync($"<presence from='{Primary}/WiZ' to='{Rs(Wiz)}' type='unavailable'><status>bye</status><x xmlns='{D}'><leave jid='{Wiz}'/></x>" +
                          $"<x xmlns='{MucUserNs}'><item affiliation='none' role='none' jid='{Wiz}'/></x></presence>");
        var sent = await H.SettleAsync();
        Assert.That(sent, Has.Count.EqualTo(2), string.Join("\n", sent));
        Golden($"<presence from='{R}/WiZ' to='{Troy}' type='unavailable'><status>bye</status><x xmlns='{MucUserNs}'><item affiliation='none' role='none'/></x></presence>",
            sent.Single(e => To(e, Troy)));
        Golden($"<presence from='{R}/WiZ' to='{Wiz}' type='unavailable'><status>bye</status>" +
               $"<x xmlns='{MucUserNs}'><item affiliation='none' role='none' jid='{Wiz}'/><status code='110'/></x></presence>", sent.Single(e => To(e, Wiz)));

        await H.SendAsync($"<presence from='{Troy}' to='{R}/Troy' type='unavailable'/>");
        await H.SettleAsync();
        await H.SendAsync($"<presence from='{Primary}/Troy' to='{Rs(Troy)}' type='unavailable'><x xmlns='{D}'><leave jid='{Troy}'/></x>" +
                          $"<x xmlns='{MucUserNs}'><item affiliation='none' role='none'/></x></presence>");
        await H.SettleAsync();
        Assert.That(H.Replica.Rooms.All, Is.Empty);
        Assert.That(await H.Archive.LoadRelayRoomsAsync(), Is.Empty);

        // A primary still sending here learns the replica let the room go.
        await H.SendAsync(Broadcast("Wumpus", "anyone?", "p9", "1990-10-14T00:00:00Z"));
        var gone = (await H.SettleAsync()).Single();
        Assert.That(gone.GetStanzaType(), Is.EqualTo("error"));
        Assert.That((string?)gone.Attribute("to"), Is.EqualTo($"{Primary}/Wumpus"));
        Assert.That(StanzaError.FromStanza(gone)!.Condition, Is.EqualTo(StanzaErrorCondition.ItemNotFound));
    }

    [Test]
    public async Task Entering_again_before_the_primary_confirmed_the_leave_follows_the_leave_and_greets_the_user_again()
    {
        await TroyInTheRoomAsync();
        await WizInTheRoomAsync();
        await H.SendAsync($"<presence from='{Wiz}' to='{R}/WiZ' type='unavailable'/>");
        await H.SendAsync($"<presence from='{Wiz}' to='{R}/WiZ'><x xmlns='http://jabber.org/protocol/muc'/></presence>");
        var upstream = await H.SettleAsync();
        Assert.That(upstream.Select(e => ((string?)e.Attribute("to"), (string?)e.Attribute("type"))),
            Is.EqualTo(new[] { ($"{Primary}/WiZ", (string?)"unavailable"), ($"{Primary}/WiZ", null) }), "the enter follows the leave to the primary");
        Assert.That(upstream[1].Element(Ns.Dmuc + "x")?.Element(Ns.Dmuc + "user"), Is.Not.Null);

        await H.SendAsync($"<presence from='{Primary}/WiZ' to='{Rs(Wiz)}' type='unavailable'><x xmlns='{D}'><leave jid='{Wiz}'/></x>" +
                          $"<x xmlns='{MucUserNs}'><item affiliation='none' role='none'/></x></presence>");
        var left = await H.SettleAsync();
        Assert.That(Codes(left.Single(e => To(e, Wiz))), Does.Contain("110"), "the client hears its leave");
        Assert.That(H.Replica.Rooms.All.Single().Sessions.ContainsKey(Jid.Parse(Wiz)), Is.True, "still entering");

        await AdmitAsync(Wiz, "WiZ");
        var subject = await H.WaitForAsync(e => To(e, Wiz) && e.Element(Ns.Component + "subject") != null);
        Assert.That(subject, Is.Not.Null, "greeted again: roster, self-presence, history and subject");
        Assert.That(H.Replica.Rooms.All.Single().Sessions[Jid.Parse(Wiz)].State, Is.EqualTo(SessionState.Joined));
    }

    [Test]
    public async Task A_kick_reaches_the_kicked_user_with_110_and_the_others_with_307()
    {
        await TroyInTheRoomAsync();
        await WizInTheRoomAsync();
        await H.SendAsync($"<presence from='{Primary}/WiZ' to='{R}' type='unavailable'><x xmlns='{MucUserNs}'><item affiliation='none' role='none'/><status code='307'/></x></presence>");
        await H.SendAsync($"<presence from='{Primary}/WiZ' to='{Rs(Wiz)}' type='unavailable'><x xmlns='{D}'><leave jid='{Wiz}'/></x>" +
                          $"<x xmlns='{MucUserNs}'><item affiliation='none' role='none'/><status code='307'/></x></presence>");
        var sent = await H.SettleAsync();
        Assert.That(Codes(sent.Single(e => To(e, Troy))), Is.EqualTo(new[] { "307" }));
        Assert.That(Codes(sent.Single(e => To(e, Wiz))), Is.EqualTo(new[] { "307", "110" }));
        Assert.That(H.Replica.Rooms.All.Single().Sessions.Keys.Select(k => k.ToString()), Is.EqualTo(new[] { Troy }));
    }

    [Test]
    public async Task Private_messages_travel_through_the_primary_both_ways()
    {
        await TroyInTheRoomAsync();
        await H.SendAsync($"<message from='{Troy}' to='{R}/Wumpus' type='chat' id='pm1'><body>psst</body></message>");
        Golden($"<message from='{Rs(Troy)}' to='{Primary}/Wumpus' type='chat' id='pm1'><body>psst</body></message>", (await H.SettleAsync()).Single());

        await H.SendAsync($"<message from='{Primary}/Wumpus' to='{Rs(Troy)}' type='chat' id='pm2'><body>what</body><x xmlns='{MucUserNs}'/></message>");
        Golden($"<message from='{R}/Wumpus' to='{Troy}' type='chat' id='pm2'><body>what</body><x xmlns='{MucUserNs}'/></message>", (await H.SettleAsync()).Single());
    }

    [Test]
    public async Task Self_ping_is_answered_for_a_joined_nick_only()
    {
        await TroyInTheRoomAsync();
        await H.SendAsync($"<iq type='get' id='sp1' from='{Troy}' to='{R}/Troy'><ping xmlns='urn:xmpp:ping'/></iq>");
        await H.SendAsync($"<iq type='get' id='sp2' from='{Wiz}' to='{R}/WiZ'><ping xmlns='urn:xmpp:ping'/></iq>");
        var answers = await H.SettleAsync();
        Assert.That(answers.Single(e => e.GetId() == "sp1").GetStanzaType(), Is.EqualTo("result"));
        Assert.That(StanzaError.FromStanza(answers.Single(e => e.GetId() == "sp2"))!.Condition, Is.EqualTo(StanzaErrorCondition.NotAcceptable));
    }

    [Test]
    public async Task A_bounce_from_a_local_client_takes_that_session_out()
    {
        await TroyInTheRoomAsync();
        await H.SendAsync($"<message from='{Troy}' to='{R}/Wumpus' type='error'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
        var upstream = (await H.SettleAsync()).Single();
        Golden($"<presence from='{Rs(Troy)}' to='{Primary}/Troy' type='unavailable'/>", upstream);
    }
}
