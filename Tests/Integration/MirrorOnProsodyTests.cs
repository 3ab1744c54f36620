using System.Xml.Linq;
using XmppGroupChat.Tests.Integration.Infrastructure;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Integration;

/// <summary>
/// The FMUC mirror on one real Prosody, proxying rooms of Prosody's own mod_muc (a plain MUC that
/// knows nothing of FMUC): two users join through the mirror, a third directly, and everyone
/// sees each message exactly once, in normal and in fire-and-forget mode. Federated set-ups
/// (mirror and master on two servers) are tested with the federation fixture.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class MirrorOnProsodyTests
{
    private const string MucDomain = "conference.localhost";
    private const string FireAndForgetRoom = "ffroom@" + MucDomain; // per-room override on the command line
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    private ProsodyServer _server = null!;
    private ComponentProgram _mirror = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        // Prosody's MUC for this instance only: samples/ stays as the other tests expect it.
        _server = new ProsodyServer(new ProsodySetup { Sections = $"Component \"{MucDomain}\" \"muc\"\n    restrict_room_creation = false\n" });
        await _server.StartAsync();
        _mirror = ComponentProgram.Start("mirror", _server, args: [$"--Mirror:Rooms:{FireAndForgetRoom}:FireAndForget=true"]);
        await _mirror.WaitConnectedAsync(ConnectTimeout);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _mirror?.Dispose();
        if (_server != null) await _server.DisposeAsync();
    }

    [TearDown]
    public void ShowOutputOnFailure()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status != NUnit.Framework.Interfaces.TestStatus.Failed) return;
        TestContext.Out.WriteLine($"--- mirror\n{_mirror.Process.Output}\n--- prosody\n{_server.Log}");
    }

    [TestCase("plainroom", TestName = "Normal mode: everyone sees each message once, and the late mirror user gets local history")]
    [TestCase("ffroom", TestName = "Fire-and-forget: everyone sees each message once; Prosody's echo is dropped")]
    public async Task Everyone_sees_each_message_exactly_once(string roomName)
    {
        var room = Jid.Parse($"{roomName}@{MucDomain}");
        var proxy = Jid.Parse($"{JidEscaping.Escape(room.ToString())}@mirror.localhost");
        await using var alice = await TestClient.ConnectAsync(_server.C2sPort, "alice");
        await using var bob = await TestClient.ConnectAsync(_server.C2sPort, "bob");
        await using var carol = await TestClient.ConnectAsync(_server.C2sPort, "carol");

        // alice makes the room on Prosody directly and says something before anyone else is there.
        await alice.SendAsync(Join(room, "alice"));
        var created = await alice.WaitForAsync(e => IsSelfPresence(e, room.WithResource("alice")));
        Assert.That(Codes(created), Does.Contain("201"), created.ToString());
        var instant = await alice.RequestAsync(Stanza.Iq("set", null, room, new XElement(Ns.MucOwner + "query",
            new XElement(Ns.DataForms + "x", new XAttribute("type", "submit")))));
        Assert.That(instant.GetStanzaType(), Is.EqualTo("result"), instant.ToString());
        await alice.SendAsync(Stanza.Message(null, room, "groupchat", "before anyone came", id: "early"));
        await alice.WaitForAsync(e => Body(e) == "before anyone came");

        // bob, the mirror's first user there, gets Prosody's history; carol gets the mirror's.
        await bob.SendAsync(Join(proxy, "bob"));
        var bobEntering = await CollectUntilAsync(bob, e => e.Element(Ns.Client + "subject") != null);
        Assert.That(bobEntering.Any(e => IsSelfPresence(e, proxy.WithResource("bob"))), Is.True, string.Join("\n", bobEntering));
        Assert.That(bobEntering.Where(e => Body(e) == "before anyone came"), Has.Exactly(1).Items);

        await carol.SendAsync(Join(proxy, "carol"));
        var carolEntering = await CollectUntilAsync(carol, e => e.Element(Ns.Client + "subject") != null);
        var replayed = carolEntering.Where(e => Body(e) == "before anyone came").ToList();
        Assert.That(replayed, Has.Count.EqualTo(1), string.Join("\n", carolEntering));
        Assert.That(replayed[0].Element(Ns.Delay + "delay")?.Attribute("from")?.Value, Is.EqualTo(proxy.ToString()), "replayed by the mirror");
        Assert.That(replayed[0].Attribute("from")!.Value, Is.EqualTo(proxy.WithResource("alice").ToString()));

        // The direct user sees the mirror's users as ordinary occupants.
        await alice.WaitForAsync(e => e.Name.LocalName == "presence" && e.Attribute("from")?.Value == room.WithResource("carol").ToString());

        await alice.SendAsync(Stanza.Message(null, room, "groupchat", "from alice", id: "a1"));
        await bob.SendAsync(Stanza.Message(null, proxy, "groupchat", "from bob", id: "b1"));
        await carol.SendAsync(Stanza.Message(null, proxy, "groupchat", "from carol", id: "c1"));
        // Once alice has both, the room has sent them to everyone; her last message is a barrier behind them.
        var aliceSaw = new List<XElement>();
        await alice.WaitForAsync(e =>
        {
            aliceSaw.Add(e);
            return aliceSaw.Any(m => Body(m) == "from bob") && aliceSaw.Any(m => Body(m) == "from carol");
        }, TimeSpan.FromSeconds(15));
        await alice.SendAsync(Stanza.Message(null, room, "groupchat", "the end", id: "end"));

        foreach (var (client, name, roomAddress) in new[] { (alice, "alice", room), (bob, "bob", proxy), (carol, "carol", proxy) })
        {
            var seen = await CollectUntilAsync(client, e => Body(e) == "the end");
            if (client == alice) seen.InsertRange(0, aliceSaw);
            var bodies = seen.Where(e => e.Name.LocalName == "message" && e.GetStanzaType() == "groupchat").Select(Body).Where(b => b != null).ToList();
            Assert.That(bodies, Is.SupersetOf(new[] { "from alice", "from bob", "from carol", "the end" }), $"{name}: {string.Join(", ", bodies)}");
            Assert.That(bodies.GroupBy(b => b).Where(g => g.Count() > 1).Select(g => g.Key), Is.Empty, $"{name} saw a message twice: {string.Join(", ", bodies)}");
            Assert.That(seen.Where(e => e.Name.LocalName == "message").Select(e => Jid.Parse(e.Attribute("from")!.Value).Bare),
                Is.All.EqualTo(roomAddress), $"{name} hears the room at the address they joined");
        }
        if (roomName == "ffroom")
            Assert.That(_mirror.Process.Output, Does.Contain("the echo of a fire-and-forget message"),
                "Prosody echoed the nomirror messages and the mirror dropped the copies");
    }

    [TestCase(false, TestName = "Mirror killed and restarted: its user stays in the room, sees each message once and is heard")]
    [TestCase(true, TestName = "Mirror killed while the room spoke: Prosody dropped its user, the mirror rejoins unseen")]
    public async Task A_mirror_restart_loses_no_participant(bool roomSpokeMeanwhile)
    {
        var room = Jid.Parse($"restart{(roomSpokeMeanwhile ? "spoke" : "quiet")}@{MucDomain}");
        var proxy = Jid.Parse($"{JidEscaping.Escape(room.ToString())}@mirror.localhost");
        await using var alice = await TestClient.ConnectAsync(_server.C2sPort, "alice");
        await using var bob = await TestClient.ConnectAsync(_server.C2sPort, "bob");

        await alice.SendAsync(Join(room, "alice"));
        await alice.WaitForAsync(e => IsSelfPresence(e, room.WithResource("alice")));
        var instant = await alice.RequestAsync(Stanza.Iq("set", null, room, new XElement(Ns.MucOwner + "query",
            new XElement(Ns.DataForms + "x", new XAttribute("type", "submit")))));
        Assert.That(instant.GetStanzaType(), Is.EqualTo("result"), instant.ToString());
        var bobJoin = Join(proxy, "bob");
        bobJoin.Add(new XElement(Ns.Client + "status", "brewing"));
        await bob.SendAsync(bobJoin);
        await CollectUntilAsync(bob, e => e.Element(Ns.Client + "subject") != null);
        await alice.WaitForAsync(e => e.Name.LocalName == "presence" && e.Attribute("from")?.Value == room.WithResource("bob").ToString());

        _mirror.Process.Kill();
        if (roomSpokeMeanwhile)
        {
            // Prosody bounces off the absent component and takes the proxy session out of the room.
            await alice.SendAsync(Stanza.Message(null, room, "groupchat", "while the mirror was down", id: "down"));
            await alice.WaitForAsync(e => e.Name.LocalName == "presence" && e.GetStanzaType() == "unavailable" &&
                                          e.Attribute("from")?.Value == room.WithResource("bob").ToString(), TimeSpan.FromSeconds(15));
        }
        var killed = _mirror;
        _mirror = ComponentProgram.Start("mirror", _server, storagePath: killed.StoragePath, args: killed.Args);
        killed.Dispose();
        await _mirror.WaitConnectedAsync(ConnectTimeout);
        Assert.That(await _mirror.Process.WaitForOutputAsync("local session(s); each session's presence goes upstream again", ConnectTimeout), Is.True, _mirror.Process.Output);

        // bob's status went upstream again (or bob joined again): alice sees bob in the room.
        await alice.WaitForAsync(e => e.Name.LocalName == "presence" && e.GetStanzaType() is null &&
                                      e.Attribute("from")?.Value == room.WithResource("bob").ToString(), TimeSpan.FromSeconds(15));
        if (roomSpokeMeanwhile)
            Assert.That(await _mirror.Process.WaitForOutputAsync("joined again for it", ConnectTimeout), Is.True, _mirror.Process.Output);

        await alice.SendAsync(Stanza.Message(null, room, "groupchat", "after the restart", id: "after"));
        await alice.SendAsync(Stanza.Message(null, room, "groupchat", "the end", id: "end"));
        var bobSaw = await CollectUntilAsync(bob, e => Body(e) == "the end");
        var bodies = bobSaw.Select(Body).Where(b => b != null).ToList();
        Assert.That(bodies, Is.EqualTo(new[] { "after the restart", "the end" }), string.Join("\n", bobSaw));
        Assert.That(bobSaw.Where(e => e.Element(Ns.Client + "subject") != null), Is.Empty, "no subject: bob never left");
        Assert.That(bobSaw.Where(e => e.Name.LocalName == "presence" && e.Attribute("from")?.Value != proxy.WithResource("bob").ToString()),
            Is.Empty, "no entry burst: bob never left");
        Assert.That(bobSaw.Where(e => e.Name.LocalName == "presence" && e.GetStanzaType() == "unavailable"), Is.Empty);

        await bob.SendAsync(Stanza.Message(null, proxy, "groupchat", "bob is still here", id: "b-after"));
        await alice.WaitForAsync(e => Body(e) == "bob is still here", TimeSpan.FromSeconds(15));
        var echo = await CollectUntilAsync(bob, e => Body(e) == "bob is still here");
        Assert.That(echo.Last().Attribute("from")!.Value, Is.EqualTo(proxy.WithResource("bob").ToString()));
    }

    private static XElement Join(Jid room, string nick) =>
        new(Ns.Client + "presence", new XAttribute("to", room.WithResource(nick).ToString()), new XElement(Ns.Muc + "x"));

    private static bool IsSelfPresence(XElement e, Jid occupant) =>
        e.Name.LocalName == "presence" && e.Attribute("from")?.Value == occupant.ToString() && Codes(e).Contains("110");

    private static IEnumerable<string> Codes(XElement e) =>
        e.Elements(Ns.MucUser + "x").Elements(Ns.MucUser + "status").Select(s => s.Attribute("code")!.Value);

    private static string? Body(XElement e) => e.Element(Ns.Client + "body")?.Value;

    /// <summary>Everything the client receives up to and including the first stanza <paramref name="last"/> matches.</summary>
    private static async Task<List<XElement>> CollectUntilAsync(TestClient client, Func<XElement, bool> last)
    {
        var seen = new List<XElement>();
        await client.WaitForAsync(e =>
        {
            seen.Add(e);
            return last(e);
        }, TimeSpan.FromSeconds(15));
        return seen;
    }
}
