using System.Xml.Linq;
using XmppGroupChat.Tests.Integration.Infrastructure;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Integration;

/// <summary>
/// What any user of a Prosody 0.12 could send to take a room host's link down, before issue 10:
/// a groupchat message nested deeper than the link's limit (Prosody does not limit depth), and a
/// 100 KB body of ' that Prosody re-escapes to 600 KB (&amp;apos;), over the link's 512 KiB. Each is
/// now refused to its sender alone; the room, its occupants and the link carry on.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class OversizedStanzaOnProsodyTests
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    private XmppServer _server = null!;
    private ComponentProgram _roomHost = null!;

    [OneTimeSetUp]
    public async Task StartServerAndRoomHost()
    {
        _server = XmppServer.Create(ServerKind.Prosody);
        await _server.StartAsync();
        _roomHost = ComponentProgram.Start("mix", _server);
        await _roomHost.WaitConnectedAsync(ConnectTimeout);
    }

    [OneTimeTearDown]
    public async Task StopAll()
    {
        _roomHost?.Dispose();
        if (_server != null) await _server.DisposeAsync();
    }

    [TearDown]
    public void ShowOutputOnFailure()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status != NUnit.Framework.Interfaces.TestStatus.Failed) return;
        TestContext.Out.WriteLine($"--- room host\n{_roomHost.Process.Output}\n--- prosody\n{_server.Log}");
    }

    [Test]
    public async Task A_too_deep_or_reescaped_oversized_message_is_refused_to_its_sender_and_the_room_carries_on()
    {
        var room = Jid.Parse("limits@muc.localhost");
        await using var alice = await TestClient.ConnectAsync(_server.C2sPort, "alice");
        await using var bob = await TestClient.ConnectAsync(_server.C2sPort, "bob");
        await JoinAsync(alice, room, "alice");
        var instant = await alice.RequestAsync(Stanza.Iq("set", null, room, new XElement(Ns.MucOwner + "query",
            new XElement(Ns.DataForms + "x", new XAttribute("type", "submit")))));
        Assert.That(instant.GetStanzaType(), Is.EqualTo("result"), instant.ToString());
        await JoinAsync(bob, room, "bob");

        // 34 nested elements after the body: Prosody forwards them as they are.
        XElement nested = new(XName.Get("a", "urn:x"));
        for (var i = 1; i < 34; i++) nested = new XElement(XName.Get("a", "urn:x"), nested);
        await alice.SendAsync(new XElement(Ns.Client + "message", new XAttribute("to", room), new XAttribute("type", "groupchat"),
            new XAttribute("id", "deep"), new XElement(Ns.Client + "body", "x"), nested));
        var deep = await alice.WaitForAsync(e => e.GetId() == "deep");
        AssertPolicyViolation(deep, room, "stanza nested deeper than 32 elements");

        // 100 KB of ' from the client (under Prosody's 256 KiB c2s limit), about 600 KB at the link.
        await alice.SendAsync(Stanza.Message(null, room, "groupchat", new string('\'', 100_000), id: "big"));
        var big = await alice.WaitForAsync(e => e.GetId() == "big", TimeSpan.FromSeconds(20));
        AssertPolicyViolation(big, room, "stanza larger than 524288 bytes");

        // The room carries on: bob, still in it without joining again, gets the next message, and
        // nothing of the refused ones.
        await alice.SendAsync(Stanza.Message(null, room, "groupchat", "after the refusals", id: "after"));
        var after = await bob.WaitForAsync(e => e.Name.LocalName == "message" && e.Element(Ns.Client + "body") != null);
        Assert.That(after.Element(Ns.Client + "body")?.Value, Is.EqualTo("after the refusals"), "bob's next stanza is the next message: " + after);
        Assert.That(after.GetFrom(), Is.EqualTo(room.WithResource("alice")));

        // Both are still occupants: a newcomer is shown them.
        await using var carol = await TestClient.ConnectAsync(_server.C2sPort, "carol");
        var shown = await JoinAsync(carol, room, "carol");
        Assert.That(shown, Is.SupersetOf(new[] { "alice", "bob" }));

        // One session all along, no stream error; each refusal logged as a rejected stanza (1101).
        var output = _roomHost.Process.Output;
        Assert.That(_roomHost.Process.OutputCount("Connected to"), Is.EqualTo(2), "one connection per face, never a reconnection:\n" + output);
        Assert.That(output, Does.Not.Contain("[1005]").And.Not.Contain("[1002]"));
        Assert.That(_roomHost.Process.OutputCount("<policy-violation/>"), Is.EqualTo(2), output);
    }

    private static void AssertPolicyViolation(XElement answer, Jid room, string text)
    {
        Assert.That(answer.GetStanzaType(), Is.EqualTo("error"), answer.ToString());
        Assert.That(answer.GetFrom(), Is.EqualTo(room));
        var error = StanzaError.FromStanza(answer)!;
        Assert.That((error.Condition, error.Text), Is.EqualTo((StanzaErrorCondition.PolicyViolation, text)), answer.ToString());
    }

    /// <summary>Joins the room as <paramref name="nick"/> and returns the nicks of the occupants it was shown.</summary>
    private static async Task<List<string>> JoinAsync(TestClient client, Jid room, string nick)
    {
        await client.SendAsync(new XElement(Ns.Client + "presence", new XAttribute("to", room.WithResource(nick)), new XElement(Ns.Muc + "x")));
        var shown = new List<string>();
        while (true)
        {
            var presence = await client.WaitForAsync(e => e.Name.LocalName == "presence" && e.GetFrom() is { } f && f.BareEquals(room));
            Assert.That(presence.GetStanzaType(), Is.Not.EqualTo("error"), presence.ToString());
            if (presence.Descendants(Ns.MucUser + "status").Any(s => s.Attribute("code")?.Value == "110")) return shown;
            shown.Add(presence.GetFrom()!.Resource!);
        }
    }
}
