using System.Diagnostics;
using System.Xml.Linq;
using XmppGroupChat.Tests.Integration.Infrastructure;
using XmppGroupChat.Tests.Integration.Infrastructure.Federation;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Integration;

/// <summary>
/// DMUC2 on federated Prosody servers (docs/dmuc.md): the primary (room host) on alpha, trusted
/// replicas on beta (local chat during a split allowed) and gamma (not allowed), users on all
/// three, every s2s link behind a counting proxy. Gamma also runs a replica nobody trusts and
/// one trusted to vouch only for beta's users.
/// </summary>
[Category("Integration")]
public sealed class DmucTests : DmucFixture
{
    private const int KeepaliveSeconds = 4;
    private readonly List<ComponentProgram> _extraReplicas = new();

    protected override FederatedServerSpec[] Topology =>
    [
        new("alpha")
        {
            Programs =
            [
                new FederatedProgram("mix",
                    "--Dmuc:Replicas:0:Domain=dmuc-replica.beta.test", "--Dmuc:Replicas:0:Serves=beta.test",
                    "--Dmuc:Replicas:1:Domain=dmuc-replica.gamma.test", "--Dmuc:Replicas:1:Serves=gamma.test",
                    "--Dmuc:Replicas:2:Domain=vouch-replica.gamma.test", "--Dmuc:Replicas:2:Serves=beta.test",
                    $"--Dmuc:KeepaliveSeconds={KeepaliveSeconds}"),
            ],
        },
        new("beta")
        {
            Programs = [new FederatedProgram("dmuc-replica", $"--Dmuc:KeepaliveSeconds={KeepaliveSeconds}", "--Replica:LocalChatDuringSplit=true")],
        },
        new("gamma")
        {
            Programs = [new FederatedProgram("dmuc-replica", $"--Dmuc:KeepaliveSeconds={KeepaliveSeconds}")],
            Sections = "Component \"rogue-replica.gamma.test\"\n    component_secret = \"@COMPONENT_SECRET@\"\n" +
                       "Component \"vouch-replica.gamma.test\"\n    component_secret = \"@COMPONENT_SECRET@\"\n",
            ExtraDomains = ["rogue-replica.gamma.test", "vouch-replica.gamma.test"],
        },
    ];

    [OneTimeSetUp]
    public async Task StartExtraReplicas()
    {
        foreach (var domain in new[] { "rogue-replica.gamma.test", "vouch-replica.gamma.test" })
        {
            var program = ComponentProgram.Start("dmuc-replica", Gamma.Server,
                args: [$"--Component:Domain={domain}", $"--Dmuc:KeepaliveSeconds={KeepaliveSeconds}"]);
            _extraReplicas.Add(program);
            if (!await program.Process.WaitForOutputAsync($"as {domain}", TimeSpan.FromSeconds(30)))
                throw new TimeoutException($"{domain} did not connect:\n{program.Process.Output}");
        }
    }

    [OneTimeTearDown]
    public async Task StopExtraReplicas()
    {
        foreach (var p in _extraReplicas)
        {
            await p.Process.StopAsync(TimeSpan.FromSeconds(5));
            p.Dispose();
        }
    }

    [TearDown]
    public void ShowExtraReplicasOnFailure()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status != NUnit.Framework.Interfaces.TestStatus.Failed) return;
        foreach (var p in _extraReplicas) TestContext.Out.WriteLine($"--- {p.Name} (extra) on gamma\n{p.Process.Output}");
    }

    // ---- the tests ----

    [Test]
    public async Task Each_broadcast_crosses_each_link_once_whatever_the_number_of_users_behind_the_replica()
    {
        var rows = new List<string>();
        foreach (var users in new[] { 1, 5, 10 })
        {
            var room = await CreateRoomAsync($"fanout{users}");
            await using var owner = room.Owner;
            var behindBeta = new List<Inbox>();
            var behindGamma = new List<Inbox>();
            for (var i = 0; i < users; i++)
            {
                behindBeta.Add(await EnterThroughReplicaAsync(Beta, $"b{users}x{i}", room.Jid, $"beta{i}"));
                behindGamma.Add(await EnterThroughReplicaAsync(Gamma, $"g{users}x{i}", room.Jid, $"gamma{i}"));
            }
            var toBeta = Federation.Link(Alpha, Beta);
            var toGamma = Federation.Link(Alpha, Gamma);
            var (betaMark, gammaMark) = (toBeta.Mark(), toGamma.Mark());

            const int messages = 5;
            for (var m = 0; m < messages; m++)
                await owner.Client.SendAsync(Groupchat(room.Jid, $"fan-out {users} #{m}"));
            foreach (var inbox in behindBeta.Concat(behindGamma))
                for (var m = 0; m < messages; m++)
                    await inbox.WaitAsync(e => Body(e) == $"fan-out {users} #{m}", Delivery);

            var crossedBeta = toBeta.Crossed(Alpha, Beta, betaMark).Where(c => c.Name == "message" && c.Body?.StartsWith($"fan-out {users} #") == true).ToList();
            var acrossBeta = crossedBeta.Count;
            var acrossGamma = toGamma.Count(Alpha, Gamma, c => c.Name == "message" && c.Body?.StartsWith($"fan-out {users} #") == true, gammaMark);
            Assert.That(acrossBeta, Is.EqualTo(messages), $"{users} users behind beta's replica: one copy per message\n{toBeta.Traffic.Describe()}");
            Assert.That(acrossGamma, Is.EqualTo(messages), $"{users} users behind gamma's replica: one copy per message");
            // Every local user saw each message exactly once.
            foreach (var inbox in behindBeta.Concat(behindGamma))
                for (var m = 0; m < messages; m++)
                    Assert.That(inbox.Count(e => Body(e) == $"fan-out {users} #{m}"), Is.EqualTo(1), inbox.Name);

            // The same users in the same room without a replica: each joins room@muc.alpha.test directly.
            var plainRoom = await CreateRoomAsync($"plain{users}");
            await using var plainOwner = plainRoom.Owner;
            var direct = new List<Inbox>();
            for (var i = 0; i < users; i++) direct.Add(await EnterDirectlyAsync(Beta, $"d{users}x{i}", plainRoom.Jid, $"direct{i}"));
            var plainMark = toBeta.Mark();
            for (var m = 0; m < messages; m++)
                await plainOwner.Client.SendAsync(Groupchat(plainRoom.Jid, $"plain {users} #{m}"));
            foreach (var inbox in direct)
                for (var m = 0; m < messages; m++)
                    await inbox.WaitAsync(e => Body(e) == $"plain {users} #{m}", Delivery);
            var crossedPlain = toBeta.Crossed(Alpha, Beta, plainMark).Where(c => c.Name == "message" && c.Body?.StartsWith($"plain {users} #") == true).ToList();
            var plainAcross = crossedPlain.Count;
            Assert.That(plainAcross, Is.EqualTo(messages * users), "without a replica, one copy per user crosses");

            rows.Add($"| {users} | {acrossBeta / (double)messages:0.##} | {acrossGamma / (double)messages:0.##} | {crossedBeta.Sum(c => c.Size) / messages} B " +
                     $"| {plainAcross / (double)messages:0.##} | {crossedPlain.Sum(c => c.Size) / messages} B |");
            foreach (var inbox in behindBeta.Concat(behindGamma).Concat(direct)) await inbox.DisposeAsync();
        }
        TestContext.Out.WriteLine("per broadcast: users behind each replica | stanzas alpha->beta | stanzas alpha->gamma | bytes alpha->beta | plain MUC: stanzas alpha->beta | bytes alpha->beta");
        foreach (var row in rows) TestContext.Out.WriteLine(row);
    }

    [Test]
    public async Task A_netsplit_is_detected_within_the_keepalive_time_and_the_netjoin_loses_and_doubles_nothing()
    {
        var room = await CreateRoomAsync("split");
        await using var owner = room.Owner;
        await using var troy = await EnterThroughReplicaAsync(Beta, "troy", room.Jid, "Troy");
        await using var wiz = await EnterThroughReplicaAsync(Beta, "wiz", room.Jid, "WiZ");
        await using var carol = await EnterThroughReplicaAsync(Gamma, "carol", room.Jid, "Carol");
        await owner.Client.SendAsync(Groupchat(room.Jid, "before the split"));
        await troy.WaitAsync(e => Body(e) == "before the split", Delivery);

        var replica = Beta.Programs.Single(p => p.Name == "dmuc-replica").Process;
        var primary = Alpha.Programs.Single(p => p.Name == "mix").Process;
        var replicaSaysSplit = $"Netsplit: the primary {room.Jid} ";
        var primarySaysSplit = $"DMUC2: netsplit from replica {ReplicaRoom(room.Jid, Beta.ComponentDomain("dmuc-replica"))} ";
        var replicaSplits = replica.OutputCount(replicaSaysSplit);
        var primarySplits = primary.OutputCount(primarySaysSplit);
        var link = Federation.Link(Alpha, Beta);
        var cut = Stopwatch.StartNew();
        link.Block();
        try
        {
            Assert.That(await replica.WaitForOutputCountAsync(replicaSaysSplit, replicaSplits + 1, TimeSpan.FromSeconds(3 * KeepaliveSeconds)), Is.True,
                "the replica notices the split");
            var replicaDetected = cut.Elapsed;
            Assert.That(await primary.WaitForOutputCountAsync(primarySaysSplit, primarySplits + 1, TimeSpan.FromSeconds(3 * KeepaliveSeconds)), Is.True,
                "the primary notices the split");
            var primaryDetected = cut.Elapsed;
            TestContext.Out.WriteLine($"split detected: replica after {replicaDetected.TotalSeconds:0.0} s, primary after {primaryDetected.TotalSeconds:0.0} s (Dmuc:KeepaliveSeconds={KeepaliveSeconds})");
            // A ping is sent after at most one keepalive time of silence and bounces at once on a blocked link (allow one tick).
            Assert.That(replicaDetected, Is.LessThanOrEqualTo(TimeSpan.FromSeconds(KeepaliveSeconds + 2)));
            Assert.That(primaryDetected, Is.LessThanOrEqualTo(TimeSpan.FromSeconds(KeepaliveSeconds + 2)));

            // The others see beta's users as netsplit.
            await owner.WaitAsync(e => e.Name.LocalName == "presence" && (string?)e.Attribute("from") == $"{room.Jid}/Troy"
                                       && e.Element(Ns.Client + "status")?.Value == "netsplit", Delivery);

            // Local chat during the split: beta allows it; alpha and gamma don't see it (yet).
            await troy.Client.SendAsync(Groupchat(ReplicaRoom(room.Jid, Beta.ComponentDomain("dmuc-replica")), "during the split, locally"));
            var local = await wiz.WaitAsync(e => Body(e) == "during the split, locally", Delivery);
            Assert.That((string?)local.Attribute("from"), Is.EqualTo($"{ReplicaRoom(room.Jid, Beta.ComponentDomain("dmuc-replica"))}/Troy"));
            await troy.WaitAsync(e => Body(e) == "during the split, locally", Delivery);
            // Meanwhile on the primary's side.
            await owner.Client.SendAsync(Groupchat(room.Jid, "during the split, at the primary"));
            await carol.WaitAsync(e => Body(e) == "during the split, at the primary", Delivery);
            Assert.That(owner.Count(e => Body(e) == "during the split, locally"), Is.Zero);
        }
        finally
        {
            link.Unblock();
        }

        // Netjoin: each side gets what it missed, once.
        var joined = Stopwatch.StartNew();
        await owner.WaitAsync(e => Body(e) == "during the split, locally", TimeSpan.FromSeconds(6 * KeepaliveSeconds));
        TestContext.Out.WriteLine($"netjoin: the split message reached the primary's users {joined.Elapsed.TotalSeconds:0.0} s after the link came back");
        await carol.WaitAsync(e => Body(e) == "during the split, locally", Delivery);
        var missed = await troy.WaitAsync(e => Body(e) == "during the split, at the primary", Delivery);
        await wiz.WaitAsync(e => Body(e) == "during the split, at the primary", Delivery);
        Assert.That(missed.Element(Ns.Delay + "delay"), Is.Not.Null, "what was missed is shown with its time");
        var resubmitted = owner.All(e => Body(e) == "during the split, locally").Single();
        Assert.That(resubmitted.Element(Ns.Delay + "delay"), Is.Not.Null, "the split message keeps the time it was written");

        // Live again, and nobody saw anything twice.
        await owner.Client.SendAsync(Groupchat(room.Jid, "after the netjoin"));
        foreach (var inbox in new[] { troy, wiz, carol }) await inbox.WaitAsync(e => Body(e) == "after the netjoin", Delivery);
        await Task.Delay(TimeSpan.FromSeconds(1)); // let any stray copy arrive before counting
        foreach (var inbox in new[] { owner, troy, wiz, carol })
            foreach (var body in new[] { "before the split", "during the split, locally", "during the split, at the primary", "after the netjoin" })
                Assert.That(inbox.Count(e => Body(e) == body), Is.EqualTo(1), $"{inbox.Name}: '{body}'");
    }

    [Test]
    public async Task During_a_split_a_replica_without_local_chat_refuses_messages_and_entering()
    {
        var room = await CreateRoomAsync("nochat");
        await using var owner = room.Owner;
        await using var carol = await EnterThroughReplicaAsync(Gamma, "dora", room.Jid, "Dora");
        var replica = Gamma.Programs.Single(p => p.Name == "dmuc-replica").Process;
        var before = replica.OutputCount($"Netsplit: the primary {room.Jid} ");
        var link = Federation.Link(Alpha, Gamma);
        link.Block();
        try
        {
            Assert.That(await replica.WaitForOutputCountAsync($"Netsplit: the primary {room.Jid} ", before + 1, TimeSpan.FromSeconds(3 * KeepaliveSeconds)), Is.True);
            var replicaRoom = ReplicaRoom(room.Jid, Gamma.ComponentDomain("dmuc-replica"));
            var message = Groupchat(replicaRoom, "nobody hears this");
            message.SetAttributeValue("id", "refused-1");
            await carol.Client.SendAsync(message);
            var error = await carol.WaitAsync(e => e.GetId() == "refused-1" && e.GetStanzaType() == "error", Delivery);
            Assert.That(StanzaError.FromStanza(error)!.Condition, Is.EqualTo(StanzaErrorCondition.RecipientUnavailable));

            await using var late = await Connect(Gamma, "latecomer");
            await late.Client.SendAsync(EnterPresence($"{replicaRoom}/Late", "late-1"));
            var refused = await late.WaitAsync(e => e.GetId() == "late-1" && e.GetStanzaType() == "error", Delivery);
            Assert.That(StanzaError.FromStanza(refused)!.Condition, Is.EqualTo(StanzaErrorCondition.RecipientUnavailable));
        }
        finally
        {
            link.Unblock();
        }
    }

    [Test]
    public async Task A_replica_the_primary_does_not_trust_is_refused()
    {
        var room = await CreateRoomAsync("rogue");
        await using var owner = room.Owner;
        await using var user = await Connect(Gamma, "rogueuser");
        await user.Client.SendAsync(EnterPresence($"{ReplicaRoom(room.Jid, "rogue-replica.gamma.test")}/Rogue", "rogue-1"));
        var error = await user.WaitAsync(e => e.GetId() == "rogue-1" || e.GetStanzaType() == "error", Delivery);
        Assert.That(StanzaError.FromStanza(error)?.Condition, Is.EqualTo(StanzaErrorCondition.Forbidden), error.ToString());
        Assert.That(StanzaError.FromStanza(error)!.Text, Does.Contain("not a trusted DMUC2 replica"));
        Assert.That(owner.Count(e => (string?)e.Attribute("from") == $"{room.Jid}/Rogue"), Is.Zero);
    }

    [Test]
    public async Task A_replica_vouching_for_users_of_another_domain_is_refused()
    {
        var room = await CreateRoomAsync("vouch");
        await using var owner = room.Owner;
        await using var user = await Connect(Gamma, "vouched");
        await user.Client.SendAsync(EnterPresence($"{ReplicaRoom(room.Jid, "vouch-replica.gamma.test")}/Vouched", "vouch-1"));
        var error = await user.WaitAsync(e => e.GetId() == "vouch-1" || e.GetStanzaType() == "error", Delivery);
        Assert.That(StanzaError.FromStanza(error)?.Condition, Is.EqualTo(StanzaErrorCondition.Forbidden), error.ToString());
        Assert.That(StanzaError.FromStanza(error)!.Text, Does.Contain("may vouch for users of beta.test only"));
        Assert.That(owner.Count(e => (string?)e.Attribute("from") == $"{room.Jid}/Vouched"), Is.Zero);
    }
}
