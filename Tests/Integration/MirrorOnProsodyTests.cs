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
