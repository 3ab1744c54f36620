using System.Text.Json;
using System.Xml.Linq;
using XmppGroupChat.Tests.Integration.Infrastructure;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Integration;

/// <summary>
/// The MIX service on a real Prosody and a real ejabberd, driven by slixmpp's MIX and MAM
/// plugins and by the C# test client: create, join, talk, setnick, MAM paging, leave, refusals,
/// a mix:0 publisher talking with a core:1 participant, and a kill -9 restart that loses nothing.
/// </summary>
[TestFixture(ServerKind.Prosody)]
[TestFixture(ServerKind.Ejabberd)]
[Category("Integration")]
public sealed class MixOnServerTests(ServerKind kind) : ServerWithProgramsFixture(kind)
{
    private const string Core = "urn:xmpp:mix:core:1";
    private static readonly XNamespace CoreNs = Core;

    [OneTimeSetUp]
    public async Task RegisterUsers()
    {
        foreach (var user in new[] { "bob", "carol" })
            await (await TestClient.ConnectAsync(Server.C2sPort, user)).DisposeAsync();
    }

    [Test]
    public async Task Slixmpp_creates_joins_talks_renames_pages_history_and_leaves()
    {
        var r = await Slixmpp.RunAsync("mix_scenario.py", Server.C2sPort.ToString(), "mix.localhost", "coven" + Kind.ToString().ToLowerInvariant());
        Assert.That(r.GetProperty("can_create").GetBoolean(), Is.True);
        Assert.That(r.GetProperty("created").GetString(), Does.StartWith("coven"));
        Assert.That(r.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()), Does.Contain("urn:xmpp:mix:nodes:messages"));

        var aliceSaw = r.GetProperty("alice_saw").EnumerateArray().ToList();
        var bobSaw = r.GetProperty("bob_saw").EnumerateArray().ToList();
        Assert.That(aliceSaw.Select(m => m.GetProperty("body").GetString()), Is.EqualTo(new[] { "hello from alice", "hello from bob" }));
        Assert.That(bobSaw.Select(m => m.GetProperty("body").GetString()), Is.EqualTo(new[] { "hello from alice", "hello from bob" }));
        foreach (var m in aliceSaw.Concat(bobSaw))
        {
            Assert.That(m.GetProperty("stanza_id").GetString(), Is.EqualTo(m.GetProperty("id").GetString()), "id is the archive id");
            Assert.That(m.GetProperty("stanza_id_by").GetString(), Does.StartWith("coven"));
            Assert.That(m.GetProperty("from").GetString(), Does.Contain("@mix.localhost/"));
        }
        Assert.That(aliceSaw[0].GetProperty("nick").GetString(), Is.EqualTo("alice"));
        Assert.That(aliceSaw[0].GetProperty("stanza_id").GetString(), Is.EqualTo(bobSaw[0].GetProperty("stanza_id").GetString()),
            "both participants see one archive id for one message");

        Assert.That(r.GetProperty("bob_new_nick").GetString(), Is.EqualTo("bobby"));
        Assert.That(r.GetProperty("participants").EnumerateArray().Select(p => p.GetString()), Is.EqualTo(new[] { "alice", "bobby" }));

        Assert.That(r.GetProperty("mam_history").EnumerateArray().Select(b => b.GetString()),
            Is.EqualTo(new[] { "hello from alice", "hello from bob", "history 0", "history 1", "history 2", "history 3", "history 4" }));

        Assert.That(r.GetProperty("participants_after_leave").EnumerateArray().Select(p => p.GetString()), Is.EqualTo(new[] { "alice" }));
        Assert.That(r.GetProperty("bob_error").GetString(), Is.EqualTo("forbidden"));
        Assert.That(r.GetProperty("carol_error").GetString(), Is.EqualTo("forbidden"));
        Assert.That(r.GetProperty("carol_destroy").GetString(), Is.EqualTo("forbidden"));
        Assert.That(r.GetProperty("malformed_destroy").GetString(), Is.EqualTo("bad-request"));
    }

    [Test]
    public async Task A_seed_publisher_and_a_core_participant_talk_to_each_other()
    {
        var channel = Jid.Parse("seedroom@mix.localhost");
        await using var bob = await TestClient.ConnectAsync(Server.C2sPort, "bob", resource: "seed");
        var created = await Alice.RequestAsync(Stanza.Iq("set", null, Jid.Parse("mix.localhost"),
            new XElement(CoreNs + "create", new XAttribute("channel", "seedroom"))));
        Assert.That(created.GetStanzaType(), Is.EqualTo("result"), created.ToString());

        var seedJoin = await bob.RequestAsync(Stanza.Iq("set", null, channel, new XElement(Ns.Mix0 + "join",
            new XElement(Ns.Mix0 + "subscribe", new XAttribute("node", "urn:xmpp:mix:nodes:messages")))));
        Assert.That(seedJoin.GetStanzaType(), Is.EqualTo("result"), seedJoin.ToString());
        var coreJoin = await Alice.RequestAsync(Stanza.Iq("set", null, channel, new XElement(CoreNs + "join",
            new XElement(CoreNs + "subscribe", new XAttribute("node", "urn:xmpp:mix:nodes:messages")), new XElement(CoreNs + "nick", "alice"))));
        Assert.That(coreJoin.GetStanzaType(), Is.EqualTo("result"), coreJoin.ToString());

        var publish = await bob.RequestAsync(Stanza.Iq("set", null, channel, new XElement(Ns.PubSub + "pubsub",
            new XElement(Ns.PubSub + "publish", new XAttribute("node", "urn:xmpp:mix:nodes:messages"),
                new XElement(Ns.PubSub + "item", new XElement(Ns.Client + "body", "from the seed"))))));
        Assert.That(publish.GetStanzaType(), Is.EqualTo("result"), publish.ToString());
        var atAlice = await Alice.WaitForAsync(e => e.Element(Ns.Client + "body")?.Value == "from the seed");
        Assert.That(atAlice.GetStanzaType(), Is.EqualTo("groupchat"));

        await Alice.SendAsync(Stanza.Message(null, channel, "groupchat", "from core"));
        var atBob = await bob.WaitForAsync(e => e.Descendants(Ns.Client + "body").Any(b => b.Value == "from core"));
        Assert.That(atBob.Descendants(Ns.PubSubEvent + "items").Single().Attribute("node")!.Value, Is.EqualTo("urn:xmpp:mix:nodes:messages"));
    }

    [Test]
    public async Task After_kill_9_and_a_restart_every_channel_participant_and_message_is_there()
    {
        var mix = Programs.Single(p => p.Name == "mix");
        var channel = Jid.Parse("durable@mix.localhost");
        await Alice.RequestAsync(Stanza.Iq("set", null, Jid.Parse("mix.localhost"), new XElement(CoreNs + "create", new XAttribute("channel", "durable"))));
        var join = await Alice.RequestAsync(Stanza.Iq("set", null, channel, new XElement(CoreNs + "join",
            new XElement(CoreNs + "subscribe", new XAttribute("node", "urn:xmpp:mix:nodes:messages")), new XElement(CoreNs + "nick", "alice"))));
        var participantId = join.Element(CoreNs + "join")!.Attribute("id")!.Value;
        for (var i = 0; i < 20; i++) await Alice.SendAsync(Stanza.Message(null, channel, "groupchat", $"keep {i}"));
        // Each reflection comes after its archive commit: once the last is back, all 20 are acknowledged.
        await Alice.WaitForAsync(e => e.Element(Ns.Client + "body")?.Value == "keep 19");

        mix.Process.Kill();
        Programs.Remove(mix);
        var again = ComponentProgram.Start("mix", Server, storagePath: mix.StoragePath);
        Programs.Add(again);
        await again.WaitConnectedAsync(TimeSpan.FromSeconds(30));

        var items = await Alice.RequestAsync(Stanza.Iq("get", null, channel, new XElement(Ns.PubSub + "pubsub",
            new XElement(Ns.PubSub + "items", new XAttribute("node", "urn:xmpp:mix:nodes:participants")))));
        Assert.That(items.Descendants(Ns.PubSub + "item").Select(i => i.Attribute("id")!.Value), Is.EqualTo(new[] { participantId }), items.ToString());

        var queryId = "after-restart";
        var fin = await Alice.RequestAsync(Stanza.Iq("set", null, channel, new XElement(Ns.Mam + "query", new XAttribute("queryid", queryId),
            new ResultSetRequest(100, null, null, null).ToElement())));
        Assert.That(fin.GetStanzaType(), Is.EqualTo("result"), fin.ToString());
        var bodies = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var result = await Alice.WaitForAsync(e => e.Element(Ns.Mam + "result")?.Attribute("queryid")?.Value == queryId);
            bodies.Add(result.Descendants(Ns.Client + "body").Single().Value);
        }
        Assert.That(bodies, Is.EqualTo(Enumerable.Range(0, 20).Select(i => $"keep {i}")));
    }
}
