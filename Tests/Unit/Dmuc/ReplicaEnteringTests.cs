using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Dmuc;

/// <summary>Replica creation, the initial roster and history, and entering (wire contract 1 and 2): golden stanzas.</summary>
[TestFixture]
public sealed class ReplicaEnteringTests : ReplicaTestBase
{
    [Test]
    public async Task The_first_local_enter_registers_the_replica_with_the_primary()
    {
        await EnterAsync(Troy, "Troy", "<password>cauldron</password><history maxstanzas='5'/>");
        var replicate = await H.NextRequestAsync();
        Golden($"<iq type='set' from='{R}' to='{Primary}'><replicate xmlns='{D}' keepalive='30' history='50'/></iq>", replicate.Iq);
        Assert.That(H.TakeSent(), Is.Empty, "nothing goes to the primary or the user before the registration completes");
        ReplicaHarness.TimeOut(replicate); // (ends the flow; what follows is the next test)
    }

    [Test]
    public async Task After_registration_the_enter_goes_to_the_primary_from_the_session_address_naming_the_user()
    {
        await EnterAsync(Troy, "Troy", "<password>cauldron</password><history maxstanzas='5'/>");
        var replicate = await H.NextRequestAsync();
        await AnswerReplicateAsync(replicate, [Occupant("Wumpus", "owner", "moderator")], Subject("The battle of wallops"),
            [Broadcast("Wumpus", "Honest! He did!!", "p1", "1990-01-23T19:50:01Z")], "p1");
        var enter = await H.WaitForAsync(e => To(e, $"{Primary}/Troy"));
        Golden($"<presence from='{Rs(Troy)}' to='{Primary}/Troy'><show>chat</show>" +
               $"<x xmlns='{MucNs}'><password>cauldron</password></x>" +
               $"<x xmlns='{D}'><user jid='{Troy}'/></x></presence>", enter);
        Assert.That(await H.SettleAsync(), Is.Empty, "the user hears nothing until the primary admits it");
    }

    [Test]
    public async Task On_enter_the_user_gets_the_roster_then_its_own_presence_then_history_then_the_subject_from_the_replica()
    {
        await EnterAsync(Troy, "Troy");
        var replicate = await H.NextRequestAsync();
        await AnswerReplicateAsync(replicate, [Occupant("Wumpus", "owner", "moderator")], Subject("The battle of wallops"),
            [Broadcast("Wumpus", "Honest! He did!!", "p1", "1990-01-23T19:50:01Z")], "p1");
        await H.WaitForAsync(e => To(e, $"{Primary}/Troy"));
        await AdmitAsync(Troy, "Troy");
        var subject = await H.WaitForAsync(e => To(e, Troy) && e.Element(Ns.Component + "subject") != null);
        var sent = await H.SettleAsync();
        // What came before the subject is still queued; the subject is last by construction of the wait.
        var toTroy = sent.Where(e => To(e, Troy)).Append(subject).ToList();
        Assert.That(toTroy, Has.Count.EqualTo(4), string.Join("\n", toTroy));
        Golden($"<presence from='{R}/Wumpus' to='{Troy}'><x xmlns='{MucUserNs}'><item affiliation='owner' role='moderator'/></x>" +
               "<occupant-id xmlns='urn:xmpp:occupant-id:0' id='o-wumpus'/></presence>", toTroy[0]);
        Golden($"<presence from='{R}/Troy' to='{Troy}'><show>chat</show>" +
               $"<x xmlns='{MucUserNs}'><item affiliation='none' role='participant' jid='{Troy}'/><status code='170'/><status code='110'/></x>" +
               "<occupant-id xmlns='urn:xmpp:occupant-id:0' id='o-troy'/></presence>", toTroy[1]);
        Golden($"<message from='{R}/Wumpus' to='{Troy}' type='groupchat' id='p1'><body>Honest! He did!!</body>" +
               $"<stanza-id xmlns='urn:xmpp:sid:0' id='p1' by='{Primary}'/><occupant-id xmlns='urn:xmpp:occupant-id:0' id='o-wumpus'/>" +
               $"<delay xmlns='urn:xmpp:delay' from='{R}' stamp='1990-01-23T19:50:01Z'/></message>", toTroy[2]);
        Golden($"<message from='{R}/Wumpus' to='{Troy}' type='groupchat'><subject>The battle of wallops</subject></message>", toTroy[3]);
        Assert.That(sent.Where(e => !To(e, Troy)), Is.Empty, "nothing more goes to the primary");
    }

    [Test]
    public async Task A_second_local_user_enters_at_once_and_the_first_sees_it_come_in_from_the_primarys_broadcast()
    {
        await TroyInTheRoomAsync();
        await EnterAsync(Wiz, "WiZ");
        Assert.That(H.HasRequest, Is.False, "the replica holds the room: no second replicate");
        var enter = await H.WaitForAsync(e => To(e, $"{Primary}/WiZ"));
        Assert.That((string?)enter.Attribute("from"), Is.EqualTo(Rs(Wiz)));
        Assert.That(Rs(Wiz), Is.Not.EqualTo(Rs(Troy)), "each local session has its own sid");

        await AdmitAsync(Wiz, "WiZ");
        await H.WaitForAsync(e => To(e, Wiz) && e.Element(Ns.Component + "subject") != null);
        var sent = await H.SettleAsync();
        var atTroy = sent.Where(e => To(e, Troy)).ToList();
        Assert.That(atTroy, Has.Count.EqualTo(1));
        Golden($"<presence from='{R}/WiZ' to='{Troy}'><show>chat</show><x xmlns='{MucUserNs}'><item affiliation='none' role='participant'/></x>" +
               "<occupant-id xmlns='urn:xmpp:occupant-id:0' id='o-wiz'/></presence>", atTroy[0]);
        var atWiz = sent.Where(e => To(e, Wiz) && e.Name.LocalName == "presence").Select(e => (string?)e.Attribute("from")).ToList();
        Assert.That(atWiz, Is.EqualTo(new[] { $"{R}/Wumpus", $"{R}/Troy", $"{R}/WiZ" }), "roster from the replica's copy, then self");
    }

    [Test]
    public async Task A_replica_the_primary_does_not_trust_gets_its_users_a_forbidden_join_error_and_lets_the_room_go()
    {
        await EnterAsync(Troy, "Troy");
        var replicate = await H.NextRequestAsync();
        ReplicaHarness.Fail(replicate, StanzaErrorCondition.Forbidden, "dmuc-replica.beta.test is not a trusted replica of this room");
        var error = await H.WaitForAsync(e => To(e, Troy));
        Golden($"<presence from='{R}/Troy' to='{Troy}' type='error'><x xmlns='{MucNs}'/><error type='auth'>" +
               "<forbidden xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>" +
               "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' xml:lang='en'>dmuc-replica.beta.test is not a trusted replica of this room</text></error></presence>", error);
        await H.SettleAsync();
        Assert.That(H.Replica.Rooms.All, Is.Empty);
        Assert.That(await H.Archive.LoadRelayRoomsAsync(), Is.Empty, "nothing is kept for a room the primary refused");
    }

    [Test]
    public async Task A_join_error_from_the_primary_reaches_the_user_from_the_replica_room()
    {
        await TroyInTheRoomAsync();
        await EnterAsync(Wiz, "WiZ");
        await H.WaitForAsync(e => To(e, $"{Primary}/WiZ"));
        await H.SendAsync($"<presence from='{Primary}/WiZ' to='{Rs(Wiz)}' type='error'><x xmlns='{MucNs}'/><error type='cancel'>" +
                          "<conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>");
        var error = await H.WaitForAsync(e => To(e, Wiz));
        Golden($"<presence from='{R}/WiZ' to='{Wiz}' type='error'><x xmlns='{MucNs}'/><error type='cancel'>" +
               "<conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></presence>", error);
        Assert.That(H.Replica.Rooms.All.Single().Sessions.Keys.Select(k => k.ToString()), Is.EqualTo(new[] { Troy }));
    }

    [Test]
    public async Task A_rejoin_is_answered_from_the_replicas_copy_and_a_nick_change_is_refused()
    {
        await TroyInTheRoomAsync();
        await EnterAsync(Troy, "Troy", "<history maxstanzas='0'/>");
        var again = await H.WaitForAsync(e => To(e, Troy) && e.Element(Ns.Component + "subject") != null);
        var sent = await H.SettleAsync();
        Assert.That(sent.Where(e => !To(e, Troy)), Is.Empty, "a rejoin does not go to the primary");
        Assert.That(sent.Count(e => e.Element(Ns.Component + "body") != null), Is.Zero, "maxstanzas='0' is honoured");

        await H.SendAsync($"<presence from='{Troy}' to='{R}/Trojan' id='nick'/>");
        var refused = await H.WaitForAsync(e => e.GetId() == "nick");
        Assert.That(StanzaError.FromStanza(refused)!.Condition, Is.EqualTo(StanzaErrorCondition.NotAcceptable));
        Assert.That((await H.SettleAsync()).Where(e => To(e, $"{Primary}/Trojan")), Is.Empty);
    }

    [Test]
    public async Task Users_of_other_servers_are_not_vouched_for()
    {
        await H.SendAsync($"<presence from='rubenro@gamma.test/shaver' to='{R}/BigCheese' id='far'><x xmlns='{MucNs}'/></presence>");
        var refused = await H.WaitForAsync(e => e.GetId() == "far");
        Assert.That(StanzaError.FromStanza(refused)!.Condition, Is.EqualTo(StanzaErrorCondition.NotAllowed));
        Assert.That(H.HasRequest, Is.False);
    }

    [Test]
    public async Task A_replica_user_sees_real_jids_only_as_a_moderator()
    {
        await TroyInTheRoomAsync(troyRole: "moderator");
        await H.SendAsync(Occupant("Valdis", jid: "valdis@killrc.test/desktop"));
        var shown = await H.WaitForAsync(e => To(e, Troy) && (string?)e.Attribute("from") == $"{R}/Valdis");
        Assert.That((string?)shown.Descendants(Ns.MucUser + "item").Single().Attribute("jid"), Is.EqualTo("valdis@killrc.test/desktop"));

        await WizInTheRoomAsync();
        await H.SendAsync(Occupant("Valdis", jid: "valdis@killrc.test/desktop", extra: "<show>away</show>"));
        var atWiz = await H.WaitForAsync(e => To(e, Wiz) && (string?)e.Attribute("from") == $"{R}/Valdis");
        Assert.That(atWiz.Descendants(Ns.MucUser + "item").Single().Attribute("jid"), Is.Null, "a participant in a semi-anonymous room sees no real JIDs");
    }
}
