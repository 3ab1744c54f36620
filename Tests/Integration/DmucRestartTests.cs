using System.Diagnostics;
using System.Xml.Linq;
using XmppGroupChat.Tests.Integration.Infrastructure;
using XmppGroupChat.Tests.Integration.Infrastructure.Federation;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Integration;

/// <summary>
/// DMUC2 restarts on federated Prosody servers (docs/dmuc.md, "Restart"): the primary (room host)
/// on alpha, trusted replicas on beta and gamma, users on all three. A replica killed with SIGKILL
/// and started on its storage, the room host killed and started on its storage, and gamma's Prosody
/// restarted under its replica: no message the room acknowledged is lost or doubled, and the
/// replica's users stay in (or, after their own server restarted, enter again).
/// </summary>
[Category("Integration")]
public sealed class DmucRestartTests : DmucFixture
{
    private const int KeepaliveSeconds = 4;
    private static readonly TimeSpan Netjoin = TimeSpan.FromSeconds(8 * KeepaliveSeconds);

    protected override FederatedServerSpec[] Topology =>
    [
        new("alpha")
        {
            Programs =
            [
                new FederatedProgram("mix",
                    "--Dmuc:Replicas:0:Domain=dmuc-replica.beta.test", "--Dmuc:Replicas:0:Serves=beta.test",
                    "--Dmuc:Replicas:1:Domain=dmuc-replica.gamma.test", "--Dmuc:Replicas:1:Serves=gamma.test",
                    $"--Dmuc:KeepaliveSeconds={KeepaliveSeconds}"),
            ],
        },
        new("beta") { Programs = [new FederatedProgram("dmuc-replica", $"--Dmuc:KeepaliveSeconds={KeepaliveSeconds}")] },
        new("gamma") { Programs = [new FederatedProgram("dmuc-replica", $"--Dmuc:KeepaliveSeconds={KeepaliveSeconds}")] },
    ];

    private ComponentProgram Program(FederatedServer server, string name) => server.Programs.Single(p => p.Name == name);

    [Test]
    public async Task A_replica_killed_and_started_again_keeps_its_users_in_and_delivers_what_they_missed_once_in_order()
    {
        var room = await CreateRoomAsync("replica-restart");
        var r = ReplicaRoom(room.Jid, Gamma);
        await using var owner = room.Owner;
        await using var bert = await EnterThroughReplicaAsync(Beta, "bert1", room.Jid, "Bert");
        await using var gus = await EnterThroughReplicaAsync(Gamma, "gus1", room.Jid, "Gus");
        await using var gina = await EnterThroughReplicaAsync(Gamma, "gina1", room.Jid, "Gina");
        Inbox[] everyone = [owner, bert, gus, gina];
        await SayAsync(owner, room.Jid, "before the replica restarts", everyone);
        await SayAsync(gus, r, "from gamma before the replica restarts", everyone);

        var replica = Program(Gamma, "dmuc-replica");
        var primary = Program(Alpha, "mix").Process;
        var primarySplits = primary.OutputCount($"DMUC2: netsplit from replica {r} ");
        replica.Process.Kill(); // SIGKILL: nothing flushed, no stream closed
        string[] whileDown = ["while the replica is down #0", "while the replica is down #1", "while the replica is down #2"];
        foreach (var body in whileDown) await SayAsync(owner, room.Jid, body, [owner, bert]); // acknowledged: archived, echoed to the sender
        // The broadcast to R bounced (gamma's Prosody: remote-server-timeout): the primary marks gamma's users as netsplit.
        Assert.That(await primary.WaitForOutputCountAsync($"DMUC2: netsplit from replica {r} ", primarySplits + 1, Delivery), Is.True,
            "the primary notices the replica is gone");
        await owner.WaitAsync(e => IsPresenceFrom(e, $"{room.Jid}/Gus") && Status(e) == "netsplit", Delivery);

        var again = await Gamma.StartAgainAsync(replica);
        var connected = Stopwatch.StartNew();
        Assert.That(await again.Process.WaitForOutputAsync($"Netjoin with {room.Jid}", Netjoin), Is.True, "the restarted replica registers again");
        Assert.That(again.Process.Output, Does.Contain("Restored ").And.Contain("replicated rooms"), "the room came from the replica's archive (6006)");
        Assert.That(Lines(primary).Any(l => l.Contains($"{r} replicates {room.Jid} (0 sessions restored, 0 removed, 3 messages sent)")), Is.True,
            "the primary still had both sessions, and sent the three missed messages after 'since'");

        // What gamma's users missed, once each, in the room's order, with the time it was sent.
        foreach (var user in new[] { gus, gina })
            foreach (var body in whileDown)
            {
                var missed = await user.WaitAsync(e => Body(e) == body, Delivery);
                Assert.That(missed.Element(Ns.Delay + "delay"), Is.Not.Null, $"{user.Name}: '{body}' comes with its time");
            }
        TestContext.Out.WriteLine($"restart: the replica, connected again, delivered the missed messages within {connected.Elapsed.TotalSeconds:0.0} s");
        // Alpha sees gamma's users back as they were, never gone.
        await owner.WaitAsync(e => IsPresenceFrom(e, $"{room.Jid}/Gus") && Status(e) != "netsplit", Delivery,
            since: IndexOf(owner, e => IsPresenceFrom(e, $"{room.Jid}/Gus") && Status(e) == "netsplit") + 1);

        await SayAsync(gus, r, "from gamma after the replica restarted", everyone);
        await SayAsync(owner, room.Jid, "after the replica restarted", everyone);

        string[] story =
        [
            "before the replica restarts", "from gamma before the replica restarts", .. whileDown,
            "from gamma after the replica restarted", "after the replica restarted",
        ];
        await SettleAsync();
        foreach (var user in everyone) AssertEachOnceInOrder(user, story);
        // Nobody was put out or made to enter again: no unavailable for gamma's users, on either side.
        foreach (var user in new[] { gus, gina })
            Assert.That(user.Count(e => e.Name.LocalName == "presence" && e.GetStanzaType() is "unavailable" or "error"), Is.Zero, user.Name);
        foreach (var nick in new[] { "Gus", "Gina" })
            Assert.That(owner.Count(e => IsPresenceFrom(e, $"{room.Jid}/{nick}") && e.GetStanzaType() == "unavailable"), Is.Zero, nick);
        Assert.That(await ArchivedBodiesAsync(owner, room.Jid), Is.EqualTo(story), "the room's archive: every message once, in order");
    }

    [Test]
    public async Task A_room_host_killed_and_started_again_takes_the_replicas_users_back_and_loses_no_message()
    {
        // A temporary room (the default): the room host keeps every room in its archive until it is destroyed or empties.
        var room = await CreateRoomAsync("primary-restart");
        var r = ReplicaRoom(room.Jid, Gamma);
        await using var owner = room.Owner;
        await using var bert = await EnterThroughReplicaAsync(Beta, "bert2", room.Jid, "Bert");
        await using var gus = await EnterThroughReplicaAsync(Gamma, "gus2", room.Jid, "Gus");
        await using var gina = await EnterThroughReplicaAsync(Gamma, "gina2", room.Jid, "Gina");
        Inbox[] everyone = [owner, bert, gus, gina];
        await SayAsync(owner, room.Jid, "before the room host restarts #0", everyone);
        await SayAsync(owner, room.Jid, "before the room host restarts #1", everyone);
        await SayAsync(gus, r, "from gamma before the room host restarts", everyone);

        var mix = Program(Alpha, "mix");
        var gammaReplica = Program(Gamma, "dmuc-replica").Process;
        var betaReplica = Program(Beta, "dmuc-replica").Process;
        var (gammaNetjoins, betaNetjoins) = (gammaReplica.OutputCount($"Netjoin with {room.Jid}"), betaReplica.OutputCount($"Netjoin with {room.Jid}"));
        var marks = new[] { bert, gus, gina }.ToDictionary(u => u, u => u.Mark());
        mix.Process.Kill(); // SIGKILL
        // Written as the room host died: gamma's replica still counts the primary as live, sends it, and keeps it pending.
        var inFlight = Groupchat(r, "from gamma as the room host dies");
        await gina.Client.SendAsync(inFlight);

        var again = await Alpha.StartAgainAsync(mix);
        var connected = Stopwatch.StartNew();
        Assert.That(await gammaReplica.WaitForOutputCountAsync($"Netjoin with {room.Jid}", gammaNetjoins + 1, Netjoin), Is.True, "gamma's replica registers again");
        var gammaBack = connected.Elapsed;
        Assert.That(await betaReplica.WaitForOutputCountAsync($"Netjoin with {room.Jid}", betaNetjoins + 1, Netjoin), Is.True, "beta's replica registers again");
        TestContext.Out.WriteLine($"restart: after the room host connected again, gamma's replica (split) registered within {gammaBack.TotalSeconds:0.0} s, " +
                                  $"beta's (which saw nothing) within {connected.Elapsed.TotalSeconds:0.0} s (Dmuc:KeepaliveSeconds={KeepaliveSeconds})");
        // The restarted room host refused the replica's keepalive ping (it has no registration), so the replica sent replicate with its roster.
        Assert.That(Lines(again.Process).Any(l => l.Contains($"refused iq from {r}") && l.Contains("this replica is not registered with the room")), Is.True,
            "the replica learnt of the restart from a refused ping");
        Assert.That(await again.Process.WaitForOutputAsync($"{r} replicates {room.Jid} (2 sessions restored, 0 removed", Delivery), Is.True,
            "the room host entered gamma's two users again");
        Assert.That(await again.Process.WaitForOutputAsync($"{ReplicaRoom(room.Jid, Beta)} replicates {room.Jid} (1 sessions restored, 0 removed", Delivery), Is.True,
            "and beta's one");

        // The room host keeps occupants in memory, like any MUC service: the direct occupant on alpha enters again
        // (a client finds out with a self-ping, XEP-0410). It sees the replicas' users in the room.
        var mark = owner.Mark();
        await EnterAsync(owner, room.Jid, "boss");
        foreach (var nick in new[] { "Bert", "Gus", "Gina" })
            await owner.WaitAsync(e => IsPresenceFrom(e, $"{room.Jid}/{nick}") && e.GetStanzaType() is null, Delivery, since: mark);

        await SayAsync(owner, room.Jid, "after the room host restarted", everyone);
        await SayAsync(gus, r, "from gamma after the room host restarted", everyone);
        foreach (var user in new[] { bert, gus, gina }) await user.WaitAsync(e => Body(e) == "from gamma as the room host dies", Delivery);

        string[] story =
        [
            "before the room host restarts #0", "before the room host restarts #1", "from gamma before the room host restarts",
            "from gamma as the room host dies", "after the room host restarted", "from gamma after the room host restarted",
        ];
        await SettleAsync();
        foreach (var user in new[] { bert, gus, gina }) AssertEachOnceInOrder(user, story);
        AssertEachOnceInOrder(owner, story.Where(b => b != "from gamma as the room host dies").ToArray()); // published while it was out
        // Re-entered without knowing it: since the kill, no presence about themselves (no self-presence, no unavailable, no error).
        foreach (var (user, self) in new[] { (bert, $"{ReplicaRoom(room.Jid, Beta)}/Bert"), (gus, $"{r}/Gus"), (gina, $"{r}/Gina") })
            Assert.That(user.Received.Skip(marks[user]).Count(e => IsPresenceFrom(e, self)), Is.Zero, $"{user.Name} saw nothing of being entered again");
        // The owner, in the old process's memory only, was gone at the netjoin; they saw it leave, then come back.
        var left = await gus.WaitAsync(e => IsPresenceFrom(e, $"{r}/boss") && e.GetStanzaType() == "unavailable", Delivery, since: marks[gus]);
        await gus.WaitAsync(e => IsPresenceFrom(e, $"{r}/boss") && e.GetStanzaType() is null, Delivery, since: IndexOf(gus, e => ReferenceEquals(e, left)) + 1);
        Assert.That(gina.Count(e => e.GetId() == inFlight.GetId() && e.IsErrorType()), Is.Zero, "the message written as the room host died was not refused");
        Assert.That(await ArchivedBodiesAsync(owner, room.Jid), Is.EqualTo(story), "the room's archive: every message once, in order");
    }

    [Test]
    public async Task After_the_replicas_server_restarts_its_users_enter_again_and_the_room_lost_nothing()
    {
        var room = await CreateRoomAsync("server-restart");
        var r = ReplicaRoom(room.Jid, Gamma);
        await using var owner = room.Owner;
        await using var bert = await EnterThroughReplicaAsync(Beta, "bert3", room.Jid, "Bert");
        var gus = await EnterThroughReplicaAsync(Gamma, "gus3", room.Jid, "Gus");
        var gina = await EnterThroughReplicaAsync(Gamma, "gina3", room.Jid, "Gina");
        await SayAsync(owner, room.Jid, "before gamma restarts", [owner, bert, gus, gina]);
        await SayAsync(gus, r, "from gamma before gamma restarts", [owner, bert, gus, gina]);

        var replica = Program(Gamma, "dmuc-replica").Process;
        var primary = Program(Alpha, "mix").Process;
        var netjoins = replica.OutputCount($"Netjoin with {room.Jid}");
        string[] whileDown = ["while gamma is down #0", "while gamma is down #1"];
        // Prosody stops gracefully: its clients' streams close, and so does the replica's link. Alpha's broadcasts to R bounce.
        await Gamma.RestartAsync(whileDown: async () =>
        {
            foreach (var body in whileDown) await SayAsync(owner, room.Jid, body, [owner, bert]);
        });
        var connected = Stopwatch.StartNew();
        Assert.That(replica.HasExited, Is.False, "the replica program outlives its server's restart, and its link connected again");
        TestContext.Out.WriteLine("restart: the replica's link: " + string.Join(" | ", Lines(replica)
            .SkipWhile(l => !l.Contains($"Replicating {room.Jid}")).Where(l => l.Contains("[1001]") || l.Contains("[1002]") || l.Contains("[1003]"))
            .Select(l => l[(l.IndexOf(']') + 2)..])));
        await gus.DisposeAsync();
        await gina.DisposeAsync();

        // The users' clients connect again (same resource) and enter again. The replica never saw them go
        // (Prosody closed its link before their sessions): it answers from its copy, as for any rejoin.
        var reconnecting = new[] { ("gus3", "Gus"), ("gina3", "Gina") }.Select(async u =>
        {
            var inbox = await Connect(Gamma, u.Item1);
            await EnterAsync(inbox, r, u.Item2);
            return inbox;
        }).ToList();
        await using var gusAgain = await reconnecting[0];
        await using var ginaAgain = await reconnecting[1];

        // The primary split R when its broadcasts bounced; R noticed nothing. The replica's own keepalive ping is
        // refused, and it registers again: the netjoin brings what its users missed.
        Assert.That(await replica.WaitForOutputCountAsync($"Netjoin with {room.Jid}", netjoins + 1, Netjoin), Is.True, "the replica registers again");
        TestContext.Out.WriteLine($"restart: gamma's Prosody back and the replica connected, the replica registered again within {connected.Elapsed.TotalSeconds:0.0} s " +
                                  $"(Dmuc:KeepaliveSeconds={KeepaliveSeconds})");
        Assert.That(Lines(primary).Any(l => l.Contains($"refused iq from {r}") && l.Contains("this replica was split from the room")), Is.True,
            "the replica learnt of the split from its own ping, refused");
        foreach (var user in new[] { gusAgain, ginaAgain })
            foreach (var body in whileDown)
                Assert.That((await user.WaitAsync(e => Body(e) == body, Delivery)).Element(Ns.Delay + "delay"), Is.Not.Null, $"{user.Name}: '{body}' with its time");

        Inbox[] everyone = [owner, bert, gusAgain, ginaAgain];
        await SayAsync(owner, room.Jid, "after gamma restarted", everyone);
        await SayAsync(gusAgain, r, "from gamma after gamma restarted", everyone);

        string[] story = ["before gamma restarts", "from gamma before gamma restarts", .. whileDown, "after gamma restarted", "from gamma after gamma restarted"];
        await SettleAsync();
        AssertEachOnceInOrder(owner, story);
        AssertEachOnceInOrder(bert, story);
        foreach (var user in new[] { gusAgain, ginaAgain }) AssertEachOnceInOrder(user, [.. whileDown, "after gamma restarted", "from gamma after gamma restarted"]);
        foreach (var nick in new[] { "Gus", "Gina" })
            Assert.That(owner.Count(e => IsPresenceFrom(e, $"{room.Jid}/{nick}") && e.GetStanzaType() == "unavailable"), Is.Zero, $"{nick} never left the room");
        Assert.That(await ArchivedBodiesAsync(owner, room.Jid), Is.EqualTo(story), "the room's archive: every message once, in order");
    }

    // ---- helpers ----

    /// <summary>Sends a groupchat message and waits until each of <paramref name="audience"/> has it (the sender's own copy is its acknowledgement).</summary>
    private static async Task SayAsync(Inbox from, string room, string body, IEnumerable<Inbox> audience)
    {
        await from.Client.SendAsync(Groupchat(room, body));
        foreach (var inbox in audience) await inbox.WaitAsync(e => Body(e) == body, Delivery);
    }

    /// <summary>Lets a stray second copy arrive before copies are counted.</summary>
    private static Task SettleAsync() => Task.Delay(TimeSpan.FromSeconds(1));

    /// <summary>Each body of <paramref name="story"/> reached the user once, in that order; and no message reached it twice.</summary>
    private static void AssertEachOnceInOrder(Inbox user, string[] story)
    {
        var bodies = Groupchats(user).Select(m => Body(m)!).Where(story.Contains).ToList();
        Assert.That(bodies, Is.EqualTo(story), $"{user.Name}: every message once, in the room's order");
        AssertNoDuplicates(user);
    }

    /// <summary>No groupchat message (by body, and by the room's stanza-id) reached the user twice.</summary>
    private static void AssertNoDuplicates(Inbox user)
    {
        var messages = Groupchats(user).ToList();
        Assert.That(messages.GroupBy(m => Body(m)).Where(g => g.Count() > 1).Select(g => g.Key), Is.Empty, $"{user.Name}: a body twice");
        var ids = messages.Select(m => (string?)m.Element(Ns.StanzaId + "stanza-id")?.Attribute("id")).OfType<string>();
        Assert.That(ids.GroupBy(i => i).Where(g => g.Count() > 1).Select(g => g.Key), Is.Empty, $"{user.Name}: a stanza-id twice");
    }

    private static IEnumerable<XElement> Groupchats(Inbox user) =>
        user.All(e => e.Name.LocalName == "message" && e.GetStanzaType() == "groupchat" && Body(e) != null);

    private static bool IsPresenceFrom(XElement e, string from) => e.Name.LocalName == "presence" && (string?)e.Attribute("from") == from;

    private static string? Status(XElement presence) => presence.Element(Ns.Client + "status")?.Value;

    private static int IndexOf(Inbox inbox, Func<XElement, bool> match) => inbox.Received.ToList().FindIndex(e => match(e));

    private static IEnumerable<string> Lines(ManagedProcess process) => process.Output.Split('\n');
}
