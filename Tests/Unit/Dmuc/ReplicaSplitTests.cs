using System.Xml.Linq;
using XmppGroupChat.DmucReplica.Dmuc;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Dmuc;

/// <summary>Keepalive and split detection, life during a split, netjoin (wire contract 6 and 7), with local chat off.</summary>
[TestFixture]
public sealed class ReplicaSplitTests : ReplicaTestBase
{
    [Test]
    public async Task The_replica_pings_the_primary_only_after_a_keepalive_time_of_silence()
    {
        await TroyInTheRoomAsync();
        H.Clock.Advance(H.Settings.Keepalive - TimeSpan.FromSeconds(1));
        await H.TickAsync();
        Assert.That(H.HasRequest, Is.False);

        await H.SendAsync(Broadcast("Wumpus", "still here", "p2", "1990-10-13T23:58:37Z"));
        H.Clock.Advance(TimeSpan.FromSeconds(2));
        await H.TickAsync();
        Assert.That(H.HasRequest, Is.False, "traffic from the primary counts as hearing from it");

        H.Clock.Advance(H.Settings.Keepalive);
        await H.TickAsync();
        var ping = await H.NextRequestAsync();
        Golden($"<iq type='get' from='{R}' to='{Primary}'><ping xmlns='urn:xmpp:ping'/></iq>", ping.Iq);
        ReplicaHarness.Answer(ping);
        await H.SettleAsync();
        Assert.That(H.Replica.Rooms.All.Single().Link, Is.EqualTo(PrimaryLink.Live));
    }

    [Test]
    public async Task An_unanswered_ping_is_a_split_and_a_bounce_is_one_too()
    {
        await TroyInTheRoomAsync();
        await SplitAsync();
        Assert.That(H.Replica.Rooms.All.Single().Link, Is.EqualTo(PrimaryLink.Split));

        await using var other = await ReplicaHarness.StartAsync();
        var saved = H;
        H = other;
        await TroyInTheRoomAsync();
        await H.SendAsync($"<message from='{Primary}' to='{Rs(Troy)}' type='error' id='x'><error type='cancel'>" +
                          "<remote-server-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
        Assert.That(H.Replica.Rooms.All.Single().Link, Is.EqualTo(PrimaryLink.Split), "a bounce from the primary's server");
        H = saved;
    }

    [Test]
    public async Task During_a_split_entering_and_talking_are_refused_but_local_presence_goes_on()
    {
        await TroyInTheRoomAsync();
        await WizInTheRoomAsync();
        await SplitAsync();

        await H.SendAsync($"<presence from='newbie@beta.test/x' to='{R}/Newbie' id='n'><x xmlns='{MucNs}'/></presence>");
        var refused = await H.WaitForAsync(e => e.GetId() == "n");
        Assert.That(StanzaError.FromStanza(refused)!.Condition, Is.EqualTo(StanzaErrorCondition.RecipientUnavailable));
        Assert.That(StanzaError.FromStanza(refused)!.Type, Is.EqualTo(StanzaErrorType.Wait));

        await H.SendAsync($"<message from='{Troy}' to='{R}' type='groupchat' id='m'><body>hello?</body></message>");
        var notSent = await H.WaitForAsync(e => e.GetId() == "m");
        Assert.That(StanzaError.FromStanza(notSent)!.Condition, Is.EqualTo(StanzaErrorCondition.RecipientUnavailable));

        await H.SendAsync($"<presence from='{Wiz}' to='{R}/WiZ'><show>away</show></presence>");
        var shown = (await H.SettleAsync()).ToList();
        Assert.That(shown.Select(e => (string?)e.Attribute("to")), Is.EquivalentTo(new[] { Troy, Wiz }), "nothing goes to the primary");
        Assert.That(shown.Single(e => To(e, Troy)).Element(Ns.Component + "show")!.Value, Is.EqualTo("away"));
        Assert.That(Codes(shown.Single(e => To(e, Wiz))), Does.Contain("110"));

        await H.SendAsync($"<presence from='{Wiz}' to='{R}/WiZ' type='unavailable'/>");
        var gone = await H.SettleAsync();
        Golden($"<presence from='{R}/WiZ' to='{Troy}' type='unavailable'><x xmlns='{MucUserNs}'><item affiliation='none' role='none'/></x>" +
               "<occupant-id xmlns='urn:xmpp:occupant-id:0' id='o-wiz'/></presence>", gone.Single(e => To(e, Troy)));
        Assert.That(Codes(gone.Single(e => To(e, Wiz))), Is.EqualTo(new[] { "110" }));
        Assert.That(gone, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_split_retries_every_third_of_the_keepalive_and_an_answer_starts_the_netjoin_with_since_and_the_roster()
    {
        await TroyInTheRoomAsync();
        await WizInTheRoomAsync();
        await SplitAsync();
        H.Clock.Advance(H.Settings.SplitRetry - TimeSpan.FromSeconds(1));
        await H.TickAsync();
        Assert.That(H.HasRequest, Is.False);
        H.Clock.Advance(TimeSpan.FromSeconds(1));
        await H.TickAsync();
        var ping = await H.NextRequestAsync();
        ReplicaHarness.Answer(ping);
        var replicate = await H.NextRequestAsync();
        Golden($"<iq type='set' from='{R}' to='{Primary}'><replicate xmlns='{D}' keepalive='30' history='50' since='p1'>" +
               $"<roster><user jid='{Troy}' nick='Troy' sid='{H.Sid(Troy)}'/><user jid='{Wiz}' nick='WiZ' sid='{H.Sid(Wiz)}'/></roster>" +
               "</replicate></iq>", replicate.Iq);
    }

    [Test]
    public async Task Netjoin_reconciles_the_roster_and_delivers_the_missed_history_with_its_times()
    {
        await TroyInTheRoomAsync();
        await H.SendAsync(Occupant("Valdis"));
        await H.SettleAsync();
        await SplitAsync();
        await H.SendAsync($"<iq type='get' id='pp' from='{Primary}' to='{R}'><ping xmlns='urn:xmpp:ping'/></iq>");
        var replicate = await H.NextRequestAsync();
        Assert.That(replicate.Iq.Element(Ns.Dmuc + "replicate"), Is.Not.Null, "hearing from the primary again starts the netjoin");
        H.TakeSent();

        await AnswerReplicateAsync(replicate,
            [Occupant("Wumpus", "owner", "moderator", extra: "<show>xa</show>"), Occupant("Troy"), Occupant("Phaedrus")],
            Subject("The battle of wallops"),
            [Broadcast("Phaedrus", "what did I miss", "p2", "1990-10-14T00:01:00Z"), Broadcast("Wumpus", "everything", "p3", "1990-10-14T00:02:00Z")], "p3");
        await H.WaitForAsync(e => To(e, Troy) && e.Element(Ns.Component + "body")?.Value == "everything");
        var sent = await H.SettleAsync();
        var toTroy = sent.Where(e => To(e, Troy)).ToList();
        Assert.That(toTroy.Where(e => e.Name.LocalName == "presence").Select(e => ((string?)e.Attribute("from"), e.GetStanzaType())),
            Is.EqualTo(new (string?, string?)[] { ($"{R}/Valdis", "unavailable"), ($"{R}/Wumpus", null), ($"{R}/Phaedrus", null) }),
            "who left, who changed, who came; the user's own entry is not repeated");
        var missed = toTroy.Where(e => e.Name.LocalName == "message").ToList();
        Assert.That(missed.Select(m => m.Element(Ns.Component + "body")!.Value), Is.EqualTo(new[] { "what did I miss" }),
            "(the last one was taken by the wait)");
        Assert.That((string?)missed[0].Element(Ns.Delay + "delay")!.Attribute("stamp"), Is.EqualTo("1990-10-14T00:01:00Z"));
        Assert.That((string?)missed[0].Element(Ns.Delay + "delay")!.Attribute("from"), Is.EqualTo(R));
        var room = H.Replica.Rooms.All.Single();
        Assert.That(room.Link, Is.EqualTo(PrimaryLink.Live));
        Assert.That(room.LastId, Is.EqualTo("p3"));
        Assert.That(room.Roster.Keys, Is.EqualTo(new[] { "Wumpus", "Troy", "Phaedrus" }));
    }

    [Test]
    public async Task A_message_in_flight_when_the_split_came_is_resubmitted_at_the_netjoin_and_shown_once()
    {
        await TroyInTheRoomAsync();
        await H.SendAsync($"<message from='{Troy}' to='{R}' type='groupchat' id='t1'><body>before the split</body></message>");
        var first = (await H.SettleAsync()).Single();
        var originId = (string?)first.Element(Ns.StanzaId + "origin-id")!.Attribute("id");
        H.Clock.Advance(TimeSpan.FromSeconds(5));
        await SplitAsync();
        Assert.That(H.TakeSent(), Is.Empty, "with local chat off, nothing is shown during the split");

        H.Clock.Advance(H.Settings.SplitRetry);
        await H.TickAsync();
        ReplicaHarness.Answer(await H.NextRequestAsync());
        var replicate = await H.NextRequestAsync();
        await AnswerReplicateAsync(replicate, [Occupant("Wumpus", "owner", "moderator"), Occupant("Troy")], Subject("The battle of wallops"), [], null);
        var resubmitted = await H.WaitForAsync(e => To(e, Primary));
        Golden($"<message from='{Rs(Troy)}' to='{Primary}' type='groupchat' id='t1'><body>before the split</body>" +
               $"<origin-id xmlns='urn:xmpp:sid:0' id='{originId}'/><x xmlns='{D}'><delay xmlns='urn:xmpp:delay' stamp='2025-03-01T12:00:00Z'/></x></message>",
            resubmitted);

        await H.SendAsync(Broadcast("Troy", "before the split", "p2", "2025-03-01T12:00:00Z", originId));
        var shown = await H.SettleAsync();
        Assert.That(shown.Select(e => (string?)e.Attribute("to")), Is.EqualTo(new[] { Troy }), "shown once, when the primary has it");
        Assert.That(H.Replica.Rooms.All.Single().Pending, Is.Empty);
    }

    [Test]
    public async Task A_replica_split_without_noticing_pings_the_primary_though_the_primary_pings_it_and_registers_again()
    {
        await TroyInTheRoomAsync();
        // The replica's server restarted: a broadcast to R bounced and the primary split R, which noticed nothing.
        // The primary pings R every third of the keepalive time and sends it nothing else.
        for (var i = 0; i < 3; i++)
        {
            H.Clock.Advance(H.Settings.SplitRetry);
            await H.SendAsync($"<iq type='get' id='pp{i}' from='{Primary}' to='{R}'><ping xmlns='urn:xmpp:ping'/></iq>");
            Golden($"<iq type='result' id='pp{i}' from='{R}' to='{Primary}'/>", (await H.SettleAsync()).Single());
            await H.TickAsync();
            if (i < 2) Assert.That(H.HasRequest, Is.False, "within the keepalive time the replica waits");
        }
        var ping = await H.NextRequestAsync();
        Golden($"<iq type='get' from='{R}' to='{Primary}'><ping xmlns='urn:xmpp:ping'/></iq>", ping.Iq);
        ReplicaHarness.Fail(ping, StanzaErrorCondition.NotAcceptable, "this replica was split from the room: send replicate with since and roster");
        var replicate = await H.NextRequestAsync();
        Golden($"<iq type='set' from='{R}' to='{Primary}'><replicate xmlns='{D}' keepalive='30' history='50' since='p1'>" +
               $"<roster><user jid='{Troy}' nick='Troy' sid='{H.Sid(Troy)}'/></roster></replicate></iq>", replicate.Iq);
    }

    [Test]
    public async Task A_registration_that_does_not_complete_within_the_keepalive_time_is_a_split()
    {
        await TroyInTheRoomAsync();
        await SplitAsync();
        H.Clock.Advance(H.Settings.SplitRetry);
        await H.TickAsync();
        ReplicaHarness.Answer(await H.NextRequestAsync());
        var replicate = await H.NextRequestAsync();
        ReplicaHarness.Answer(replicate, $"<replicated xmlns='{D}'/>"); // but the roster and subject never come
        await H.SettleAsync();
        Assert.That(H.Replica.Rooms.All.Single().Link, Is.EqualTo(PrimaryLink.Registering));
        H.Clock.Advance(H.Settings.Keepalive);
        await H.TickAsync();
        Assert.That(H.Replica.Rooms.All.Single().Link, Is.EqualTo(PrimaryLink.Split));
    }

    [Test]
    public async Task A_primary_that_lost_the_room_puts_the_local_users_out_once_it_says_so_to_the_new_registration()
    {
        await TroyInTheRoomAsync();
        H.Clock.Advance(H.Settings.Keepalive);
        await H.TickAsync();
        ReplicaHarness.Fail(await H.NextRequestAsync(), StanzaErrorCondition.NotAcceptable, "this replica is not registered with the room");
        var replicate = await H.NextRequestAsync();
        Assert.That(replicate.Iq.Element(Ns.Dmuc + "replicate")?.Element(Ns.Dmuc + "roster"), Is.Not.Null, "a refused ping leads to registering again");
        ReplicaHarness.Fail(replicate, StanzaErrorCondition.ItemNotFound, "no such room");
        var gone = await H.WaitForAsync(e => To(e, Troy));
        Assert.That(gone.GetStanzaType(), Is.EqualTo("unavailable"));
        Assert.That(Codes(gone), Is.EqualTo(new[] { "110", "333" }));
        await H.SettleAsync();
        Assert.That(H.Replica.Rooms.All, Is.Empty);
    }
    [Test]
    public async Task A_session_the_primary_refuses_to_restore_at_the_netjoin_is_put_out_and_the_others_see_it_go()
    {
        await TroyInTheRoomAsync();
        await WizInTheRoomAsync();
        await SplitAsync();
        H.Clock.Advance(H.Settings.SplitRetry);
        await H.TickAsync();
        ReplicaHarness.Answer(await H.NextRequestAsync());
        var replicate = await H.NextRequestAsync();
        await AnswerReplicateAsync(replicate, [Occupant("Wumpus", "owner", "moderator"), Occupant("Troy"), Occupant("WiZ")], Subject("The battle of wallops"), [], null);
        await H.SettleAsync();
        // The primary had lost WiZ's session and WiZ was banned meanwhile: re-admitting it fails.
        await H.SendAsync($"<presence from='{Primary}/WiZ' to='{Rs(Wiz)}' type='error'><x xmlns='{MucNs}'/><error type='auth'>" +
                          "<forbidden xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>you are banned from this room</text></error></presence>");
        var sent = await H.SettleAsync();
        var out_ = sent.Single(e => To(e, Wiz));
        Assert.That(out_.GetStanzaType(), Is.EqualTo("unavailable"));
        Assert.That(Codes(out_), Is.EqualTo(new[] { "110", "333" }));
        Assert.That(out_.Element(Ns.Component + "status")!.Value, Is.EqualTo("you are banned from this room"));
        Assert.That(sent.Single(e => To(e, Troy)).GetStanzaType(), Is.EqualTo("unavailable"));
        Assert.That(H.Replica.Rooms.All.Single().Sessions.Keys.Select(k => k.ToString()), Is.EqualTo(new[] { Troy }));
    }
    [Test]
    public async Task A_primary_that_restarted_gets_the_sessions_again_and_an_unconfirmed_leave_completes()
    {
        await TroyInTheRoomAsync();
        await WizInTheRoomAsync();
        await H.SendAsync($"<presence from='{Wiz}' to='{R}/WiZ' type='unavailable'/>");
        Assert.That((await H.SettleAsync()).Single().GetStanzaType(), Is.EqualTo("unavailable"), "the leave goes to the primary");
        // The primary restarted: it never confirms the leave, and refuses the replica's next ping.
        H.Clock.Advance(H.Settings.Keepalive);
        await H.TickAsync();
        ReplicaHarness.Fail(await H.NextRequestAsync(), StanzaErrorCondition.NotAcceptable, "this replica is not registered with the room: send replicate");
        var replicate = await H.NextRequestAsync();
        Assert.That(replicate.Iq.Descendants(Ns.Dmuc + "user").Select(u => (string?)u.Attribute("jid")), Is.EqualTo(new[] { Troy }),
            "a session on its way out is not listed");
        await AnswerReplicateAsync(replicate, [Occupant("Wumpus", "owner", "moderator"), Occupant("Troy")], Subject("The battle of wallops"), [], null);
        var out_ = await H.WaitForAsync(e => To(e, Wiz));
        Assert.That(out_.GetStanzaType(), Is.EqualTo("unavailable"));
        Assert.That(Codes(out_), Does.Contain("110"));
        await H.SettleAsync();
        Assert.That(H.Replica.Rooms.All.Single().Sessions.Keys.Select(k => k.ToString()), Is.EqualTo(new[] { Troy }));
    }
}
