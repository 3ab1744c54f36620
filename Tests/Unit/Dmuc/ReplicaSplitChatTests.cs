using System.Xml.Linq;
using XmppGroupChat.DmucReplica.Dmuc;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Dmuc;

/// <summary>Replica:LocalChatDuringSplit: local users talk during the split, and the netjoin merges both sides without loss or doubles.</summary>
[TestFixture]
public sealed class ReplicaSplitChatTests : ReplicaTestBase
{
    protected override ReplicaSettings Settings => ReplicaHarness.DefaultSettings(localChat: true);

    [Test]
    public async Task During_a_split_local_users_talk_among_themselves_from_the_replica_room()
    {
        await TroyInTheRoomAsync();
        await WizInTheRoomAsync();
        await SplitAsync();
        await H.SendAsync($"<message from='{Troy}' to='{R}' type='groupchat' id='s1'><body>anyone out there?</body></message>");
        var sent = await H.SettleAsync();
        Assert.That(sent.Select(e => (string?)e.Attribute("to")), Is.EquivalentTo(new[] { Troy, Wiz }), "local users only; nothing to the primary");
        var originId = (string?)sent[0].Element(Ns.StanzaId + "origin-id")!.Attribute("id");
        Golden($"<message from='{R}/Troy' to='{Wiz}' type='groupchat' id='s1'><body>anyone out there?</body><origin-id xmlns='urn:xmpp:sid:0' id='{originId}'/></message>",
            sent.Single(e => To(e, Wiz)));
        var pending = H.Replica.Rooms.All.Single().Pending.Single();
        Assert.That(pending.DeliveredLocally, Is.True);
        Assert.That(pending.Stamp, Is.EqualTo(H.Clock.GetUtcNow()), "kept with its time");
    }

    [Test]
    public async Task A_visitor_in_a_moderated_room_cannot_talk_during_the_split_either()
    {
        await TroyInTheRoomAsync(troyRole: "visitor");
        await WizInTheRoomAsync();
        await SplitAsync();
        await H.SendAsync($"<message from='{Troy}' to='{R}' type='groupchat' id='v1'><body>now I can talk?</body></message>");
        var refused = await H.WaitForAsync(e => e.GetId() == "v1");
        Assert.That(StanzaError.FromStanza(refused)!.Condition, Is.EqualTo(StanzaErrorCondition.Forbidden));
        Assert.That(H.Replica.Rooms.All.Single().Pending, Is.Empty, "nothing kept for the netjoin");
    }

    [Test]
    public async Task Netjoin_resubmits_the_split_messages_in_order_with_their_times_and_shows_nobody_a_double()
    {
        await TroyInTheRoomAsync();
        await WizInTheRoomAsync();
        await SplitAsync();
        var t0 = H.Clock.GetUtcNow();
        await H.SendAsync($"<message from='{Troy}' to='{R}' type='groupchat' id='s1'><body>one</body><origin-id xmlns='urn:xmpp:sid:0' id='o1'/></message>");
        H.Clock.Advance(TimeSpan.FromSeconds(3));
        await H.SendAsync($"<message from='{Wiz}' to='{R}' type='groupchat' id='s2'><body>two</body><origin-id xmlns='urn:xmpp:sid:0' id='o2'/></message>");
        H.Clock.Advance(TimeSpan.FromSeconds(3));
        await H.SendAsync($"<message from='{Troy}' to='{R}' type='groupchat' id='s3'><body>three</body><origin-id xmlns='urn:xmpp:sid:0' id='o3'/></message>");
        await H.SettleAsync();

        H.Clock.Advance(H.Settings.SplitRetry);
        await H.TickAsync();
        ReplicaHarness.Answer(await H.NextRequestAsync());
        var replicate = await H.NextRequestAsync();
        // The primary had "one" already (it arrived just before the split was noticed); "elsewhere" is from the other side.
        await AnswerReplicateAsync(replicate, [Occupant("Wumpus", "owner", "moderator"), Occupant("Troy"), Occupant("WiZ")], Subject("The battle of wallops"),
            [Broadcast("Troy", "one", "p2", XmppDateTime.Format(t0), "o1"), Broadcast("Wumpus", "elsewhere", "p3", XmppDateTime.Format(t0.AddSeconds(1)))], "p3");
        var submitted = new List<XElement>();
        for (var i = 0; i < 2; i++) submitted.Add(await H.WaitForAsync(e => To(e, Primary)));
        Golden($"<message from='{Rs(Wiz)}' to='{Primary}' type='groupchat' id='s2'><body>two</body><origin-id xmlns='urn:xmpp:sid:0' id='o2'/>" +
               $"<x xmlns='{D}'><delay xmlns='urn:xmpp:delay' stamp='{XmppDateTime.Format(t0.AddSeconds(3))}'/></x></message>", submitted[0]);
        Golden($"<message from='{Rs(Troy)}' to='{Primary}' type='groupchat' id='s3'><body>three</body><origin-id xmlns='urn:xmpp:sid:0' id='o3'/>" +
               $"<x xmlns='{D}'><delay xmlns='urn:xmpp:delay' stamp='{XmppDateTime.Format(t0.AddSeconds(6))}'/></x></message>", submitted[1]);
        var atNetjoin = await H.SettleAsync();
        Assert.That(atNetjoin.Where(e => e.Element(Ns.Component + "body") != null).Select(e => ((string?)e.Attribute("to"), e.Element(Ns.Component + "body")!.Value)),
            Is.EquivalentTo(new[] { (Troy, "elsewhere"), (Wiz, "elsewhere") }), "only what the local users missed; not 'one' again");

        // The primary's copies of the resubmitted messages come back: recorded, not shown again.
        await H.SendAsync(Broadcast("WiZ", "two", "p4", XmppDateTime.Format(t0.AddSeconds(3)), "o2"));
        await H.SendAsync(Broadcast("Troy", "three", "p5", XmppDateTime.Format(t0.AddSeconds(6)), "o3"));
        Assert.That(await H.SettleAsync(), Is.Empty);
        var room = H.Replica.Rooms.All.Single();
        Assert.That(room.Pending, Is.Empty);
        var history = await H.Replica.Store.HistoryAsync(room, 10, CancellationToken.None);
        Assert.That(history.Select(m => m.Element(Ns.Component + "body")!.Value), Is.EqualTo(new[] { "Honest! He did!!", "one", "elsewhere", "two", "three" }),
            "the replica's history is the primary's, once each");
    }

    [Test]
    public async Task A_message_in_flight_when_the_split_came_is_shown_locally_at_once()
    {
        await TroyInTheRoomAsync();
        await WizInTheRoomAsync();
        await H.SendAsync($"<message from='{Troy}' to='{R}' type='groupchat' id='t1'><body>in flight</body></message>");
        await H.SettleAsync();
        var shown = await SplitAsync();
        Assert.That(shown.Select(e => ((string?)e.Attribute("to"), (string?)e.Attribute("from"), e.Element(Ns.Component + "body")?.Value)),
            Is.EquivalentTo(new[] { (Troy, $"{R}/Troy", "in flight"), (Wiz, $"{R}/Troy", "in flight") }));
        Assert.That(H.Replica.Rooms.All.Single().Pending.Single().DeliveredLocally, Is.True, "still to be submitted at the netjoin");
    }

    [Test]
    public async Task Entering_is_still_refused_during_a_split()
    {
        await TroyInTheRoomAsync();
        await SplitAsync();
        await H.SendAsync($"<presence from='{Wiz}' to='{R}/WiZ' id='n'><x xmlns='{MucNs}'/></presence>");
        Assert.That(StanzaError.FromStanza(await H.WaitForAsync(e => e.GetId() == "n"))!.Condition, Is.EqualTo(StanzaErrorCondition.RecipientUnavailable));
    }
}
