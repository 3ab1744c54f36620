using System.Xml.Linq;
using XmppGroupChat.Tests.Integration.Infrastructure.Federation;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Integration;

/// <summary>
/// Three federated servers, the way the FMUC and DMUC2 tests set them up: the room host on alpha,
/// the mirror on beta, the replica on gamma. Each pair has its own link, so traffic is counted per
/// pair and one pair can be split while the others keep talking.
/// </summary>
[Category("Integration")]
public sealed class FederationOfThreeTests : FederationFixture
{
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(20);

    protected override FederatedServerSpec[] Topology =>
    [
        new("alpha") { Programs = [new FederatedProgram("mix")] },
        new("beta") { Programs = [new FederatedProgram("mirror")] },
        new("gamma") { Programs = [new FederatedProgram("dmuc-replica")] },
    ];

    private FederatedServer Alpha => Federation["alpha"];
    private FederatedServer Beta => Federation["beta"];
    private FederatedServer Gamma => Federation["gamma"];

    [Test]
    public async Task A_message_between_two_servers_crosses_only_their_link()
    {
        await using var alice = await Alpha.ConnectAsync("alice", "a");
        await using var carol = await Gamma.ConnectAsync("carol", "c");
        var marks = Federation.Links.ToDictionary(l => l, l => l.Mark());
        var id = $"three-{Guid.NewGuid():N}";

        await alice.SendAsync(Stanza.Message(null, carol.Jid, "chat", "hello gamma", id));
        await carol.WaitForAsync(e => e.GetId() == id, Delivery);

        foreach (var link in Federation.Links)
        {
            var expected = link.Joins(Alpha, Gamma) ? 1 : 0;
            Assert.That(link.Traffic.All(marks[link]).Count(c => c.Id == id), Is.EqualTo(expected), link.ToString());
        }
        Assert.That(Federation.Link(Alpha, Gamma).Count(Alpha, Gamma, c => c.Id == id), Is.EqualTo(1));
    }

    [Test]
    public async Task A_netsplit_between_two_servers_leaves_the_other_links_up()
    {
        await using var alice = await Alpha.ConnectAsync("dave", "a");
        await using var carol = await Gamma.ConnectAsync("erin", "c");
        var split = Federation.Link(Alpha, Beta);
        split.Block();
        try
        {
            var id = $"up-{Guid.NewGuid():N}";
            await alice.SendAsync(Stanza.Message(null, carol.Jid, "chat", "still here", id));
            var received = await carol.WaitForAsync(e => e.GetId() == id, Delivery);
            Assert.That(received.Element(Ns.Client + "body")?.Value, Is.EqualTo("still here"));
        }
        finally
        {
            split.Unblock();
        }
    }

    [Test]
    public async Task Each_servers_component_answers_a_user_of_another_server()
    {
        await using var alice = await Alpha.ConnectAsync("frank", "a");
        await using var carol = await Gamma.ConnectAsync("grace", "c");
        foreach (var (client, domain, link) in new[]
                 {
                     (alice, Beta.ComponentDomain("mirror"), Federation.Link(Alpha, Beta)),
                     (alice, Gamma.ComponentDomain("dmuc-replica"), Federation.Link(Alpha, Gamma)),
                     (carol, Alpha.ComponentDomain("muc"), Federation.Link(Alpha, Gamma)),
                 })
        {
            var mark = link.Mark();
            var response = await client.RequestAsync(Stanza.Iq("get", null, Jid.Parse(domain), new XElement(Ns.Ping + "ping")), Delivery);
            Assert.That(response.GetStanzaType(), Is.EqualTo("result"), $"{domain}: {response}");
            Assert.That(link.Traffic.All(mark).Count(c => c.Name == "iq" && c.From == domain), Is.EqualTo(1), $"{domain} over {link}");
        }
    }
}
