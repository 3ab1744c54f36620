using System.Xml.Linq;
using XmppGroupChat.Tests.Integration.Infrastructure;
using XmppGroupChat.Tests.Integration.Infrastructure.Federation;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Integration;

/// <summary>
/// The federation test bed itself: two Prosody servers over real s2s (dialback, no TLS) through
/// counting proxies. A message crosses and is counted once, a blocked or stalled link stops it
/// and lets new traffic through once unblocked, and subdomains (Prosody's own MUC, the suite's
/// room host) are reached across the link.
/// </summary>
[Category("Integration")]
public sealed class FederationTests : FederationFixture
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(20);

    protected override FederatedServerSpec[] Topology =>
    [
        new("alpha") { ServerMuc = true, Programs = [new FederatedProgram("mix")] },
        new("beta"),
    ];

    private FederatedServer Alpha => Federation["alpha"];
    private FederatedServer Beta => Federation["beta"];
    private S2sLink Link => Federation.Link(Alpha, Beta);

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    [Test]
    public async Task A_chat_message_to_a_user_on_the_other_server_arrives_and_crosses_the_link_once()
    {
        await using var alice = await Alpha.ConnectAsync("alice", "a");
        await using var bob = await Beta.ConnectAsync("bob", "b");
        var mark = Link.Mark();
        var id = NewId("chat");

        await alice.SendAsync(Stanza.Message(null, bob.Jid, "chat", "hello beta", id));
        var received = await bob.WaitForAsync(e => e.GetId() == id, Delivery);

        Assert.That(received.Element(Ns.Client + "body")?.Value, Is.EqualTo("hello beta"));
        Assert.That(received.GetFrom(), Is.EqualTo(alice.Jid));
        var messages = Link.Crossed(Alpha, Beta, mark).Where(c => c.Name == "message").ToList();
        Assert.That(messages, Has.Count.EqualTo(1), Link.Traffic.Describe());
        Assert.That(messages[0].From, Is.EqualTo(alice.Jid.ToString()));
        Assert.That(messages[0].To, Is.EqualTo(bob.Jid.ToString()));
        Assert.That(messages[0].Id, Is.EqualTo(id));
        Assert.That(Link.Count(Beta, Alpha, c => c.Name == "message", mark), Is.Zero);
        Assert.That(Link.Bytes(Alpha, Beta, mark), Is.GreaterThanOrEqualTo(messages[0].Size));
    }

    [Test]
    public async Task A_blocked_link_bounces_messages_and_an_unblocked_one_carries_new_ones()
    {
        await using var alice = await Alpha.ConnectAsync("carol", "a");
        await using var bob = await Beta.ConnectAsync("dave", "b");
        await CrossOnceAsync(alice, bob, "warm-up"); // an s2s connection is up before the cut

        var lost = new List<string>();
        var mark = Link.Mark();
        XElement? bounce = null;
        Link.Block();
        try
        {
            // Prosody bounces what it cannot send once it has seen the connection go. A stanza it
            // writes in the instant of the cut goes down with the connection, unanswered (s2s has
            // no stream management), so send again until the bounce comes.
            for (var attempt = 0; attempt < 3 && bounce is null; attempt++)
            {
                lost.Add(NewId("lost"));
                await alice.SendAsync(Stanza.Message(null, bob.Jid, "chat", "into the void", lost[^1]));
                bounce = await WaitOrNullAsync(alice, e => lost.Contains(e.GetId() ?? ""), TimeSpan.FromSeconds(3));
            }
            Assert.That(Link.Count(Alpha, Beta, c => lost.Contains(c.Id ?? ""), mark), Is.Zero, "nothing crosses a blocked link");
        }
        finally
        {
            Link.Unblock();
        }
        TestContext.Out.WriteLine($"after {lost.Count} message(s) while blocked: {bounce}");
        Assert.That(bounce, Is.Not.Null, "Prosody bounces what it cannot deliver");
        Assert.That(bounce!.GetStanzaType(), Is.EqualTo("error"));
        Assert.That(StanzaError.FromStanza(bounce!)?.Condition, Is.EqualTo(StanzaErrorCondition.RemoteServerNotFound));

        var connectionsBefore = Link.Connections(Alpha, Beta);
        var after = NewId("after");
        await alice.SendAsync(Stanza.Message(null, bob.Jid, "chat", "back again", after));
        var first = await bob.WaitForAsync(e => e.GetId() == after || lost.Contains(e.GetId() ?? ""), Delivery);
        Assert.That(first.GetId(), Is.EqualTo(after), "nothing sent during the netsplit is delivered after it");
        Assert.That(Link.Connections(Alpha, Beta), Is.GreaterThan(connectionsBefore), "a new s2s connection after the netjoin");
        Assert.That(Link.Count(Alpha, Beta, c => c.Id == after, mark), Is.EqualTo(1));
        Assert.That(Link.Count(Alpha, Beta, c => lost.Contains(c.Id ?? "")), Is.Zero, "Prosody does not send a bounced message again");
    }

    [Test]
    public async Task A_stalled_link_holds_messages_until_it_is_released()
    {
        await using var alice = await Alpha.ConnectAsync("erin", "a");
        await using var bob = await Beta.ConnectAsync("frank", "b");
        await CrossOnceAsync(alice, bob, "warm-up");

        var held = NewId("held");
        var connections = Link.Connections(Alpha, Beta);
        Link.Stall();
        try
        {
            await alice.SendAsync(Stanza.Message(null, bob.Jid, "chat", "wait for it", held));
            Assert.That(async () => await bob.WaitForAsync(e => e.GetId() == held, TimeSpan.FromSeconds(2)), Throws.TypeOf<TimeoutException>());
            Assert.That(Link.Count(Alpha, Beta, c => c.Id == held), Is.Zero, "nothing crosses a stalled link");
        }
        finally
        {
            Link.Unblock();
        }
        var received = await bob.WaitForAsync(e => e.GetId() == held, Delivery);
        Assert.That(received.Element(Ns.Client + "body")?.Value, Is.EqualTo("wait for it"));
        Assert.That(Link.Crossed(Alpha, Beta).Single(c => c.Id == held).Body, Is.EqualTo("wait for it"));
        Assert.That(Link.Connections(Alpha, Beta), Is.EqualTo(connections), "the servers never noticed: same connection");
    }

    [Test]
    public async Task A_user_on_beta_joins_a_room_of_the_server_muc_on_alpha()
    {
        await using var bob = await Beta.ConnectAsync("grace", "b");
        var room = Jid.Parse($"{NewId("room")}@{Alpha.ServerMucDomain}");
        var mark = Link.Mark();

        await bob.SendAsync(new XElement(Ns.Client + "presence", new XAttribute("to", $"{room}/grace"),
            new XElement(Ns.Muc + "x")));
        var self = await bob.WaitForAsync(e => e.Name.LocalName == "presence" && e.GetFrom()?.ToString() == $"{room}/grace", Delivery);

        Assert.That(self.GetStanzaType(), Is.Null, self.ToString());
        var statuses = self.Descendants(Ns.MucUser + "status").Select(s => (string?)s.Attribute("code"));
        Assert.That(statuses, Does.Contain("110"), "self-presence");
        Assert.That(Link.Count(Beta, Alpha, c => c.Name == "presence" && c.To == $"{room}/grace", mark), Is.EqualTo(1));
        Assert.That(Link.Count(Alpha, Beta, c => c.Name == "presence" && c.From == $"{room}/grace", mark), Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task A_user_on_beta_reaches_the_suites_room_host_on_alpha()
    {
        await using var bob = await Beta.ConnectAsync("heidi", "b");
        foreach (var domain in new[] { Alpha.ComponentDomain("mix"), Alpha.ComponentDomain("muc") })
        {
            var mark = Link.Mark();
            var response = await bob.RequestAsync(Stanza.Iq("get", null, Jid.Parse(domain), new XElement(Ns.DiscoInfo + "query")), Delivery);
            Assert.That(response.GetStanzaType(), Is.EqualTo("result"), response.ToString());
            Assert.That(DiscoInfo.Parse(response.Element(Ns.DiscoInfo + "query")!).Identities.Select(i => i.Category), Does.Contain("conference"));
            Assert.That(Link.Count(Alpha, Beta, c => c.Name == "iq" && c.From == domain && c.Type == "result", mark), Is.EqualTo(1));
        }
    }

    private static async Task<XElement?> WaitOrNullAsync(TestClient client, Func<XElement, bool> match, TimeSpan timeout)
    {
        try { return await client.WaitForAsync(match, timeout); }
        catch (TimeoutException) { return null; }
    }

    /// <summary>Sends one chat message across and waits for it, proving the link carries traffic now.</summary>
    private async Task CrossOnceAsync(TestClient from, TestClient to, string prefix)
    {
        var id = NewId(prefix);
        var mark = Link.Mark();
        await from.SendAsync(Stanza.Message(null, to.Jid, "chat", prefix, id));
        await to.WaitForAsync(e => e.GetId() == id, Delivery);
        Assert.That(Link.Count(Alpha, Beta, c => c.Id == id, mark), Is.EqualTo(1));
    }
}
