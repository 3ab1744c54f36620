using System.Xml.Linq;
using XmppGroupChat.Tests.Integration.Infrastructure;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Integration;

/// <summary>
/// MIX-PAM (XEP-0405) on ejabberd, whose mod_mix_pam relays a client's join from the user's bare
/// JID. Prosody 0.12 has no such module, so this runs on ejabberd only.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class MixPamOnEjabberdTests() : ServerWithProgramsFixture(ServerKind.Ejabberd)
{
    private const string Core = "urn:xmpp:mix:core:1";
    private static readonly XNamespace CoreNs = Core;

    [Test]
    public async Task A_join_relayed_by_the_users_server_under_mix_pam_is_accepted()
    {
        var channel = Jid.Parse("pamroom@mix.localhost");
        await Alice.RequestAsync(Stanza.Iq("set", null, Jid.Parse("mix.localhost"), new XElement(CoreNs + "create", new XAttribute("channel", "pamroom"))));
        await using var carol = await TestClient.ConnectAsync(Server.C2sPort, "carol", resource: "pam");
        XNamespace pam = "urn:xmpp:mix:pam:2";
        var result = await carol.RequestAsync(Stanza.Iq("set", null, carol.Jid.Bare, new XElement(pam + "client-join", new XAttribute("channel", channel.ToString()),
            new XElement(CoreNs + "join", new XElement(CoreNs + "subscribe", new XAttribute("node", "urn:xmpp:mix:nodes:messages")), new XElement(CoreNs + "nick", "carol")))));
        Assert.That(result.GetStanzaType(), Is.EqualTo("result"), result.ToString());
        var jid = result.Descendants(CoreNs + "join").Single().Attribute("jid")?.Value;
        Assert.That(jid, Does.EndWith("#pamroom@mix.localhost"), "ejabberd turns the participant id into the proxy JID id#channel");

        var own = await carol.RequestAsync(Stanza.Iq("get", null, channel, new XElement(Ns.PubSub + "pubsub",
            new XElement(Ns.PubSub + "items", new XAttribute("node", "urn:xmpp:mix:nodes:participants")))));
        Assert.That(own.Descendants(XNamespace.Get(Core) + "nick").Select(n => n.Value), Is.EqualTo(new[] { "carol" }), own.ToString());
    }

    [Test]
    public async Task A_pam_participants_client_receives_channel_messages_and_finds_what_it_missed_in_mam()
    {
        var channel = Jid.Parse("pamtalk@mix.localhost");
        await Alice.RequestAsync(Stanza.Iq("set", null, Jid.Parse("mix.localhost"), new XElement(CoreNs + "create", new XAttribute("channel", "pamtalk"))));
        var aliceJoin = await Alice.RequestAsync(Stanza.Iq("set", null, channel, new XElement(CoreNs + "join",
            new XElement(CoreNs + "subscribe", new XAttribute("node", "urn:xmpp:mix:nodes:messages")), new XElement(CoreNs + "nick", "alice"))));
        Assert.That(aliceJoin.GetStanzaType(), Is.EqualTo("result"), aliceJoin.ToString());

        XNamespace pam = "urn:xmpp:mix:pam:2";
        var dave = await TestClient.ConnectAsync(Server.C2sPort, "dave", resource: "phone");
        // Available presence makes the client one the server delivers the channel's bare-JID messages to.
        await dave.SendAsync(new XElement(Ns.Client + "presence"));
        var joined = await dave.RequestAsync(Stanza.Iq("set", null, dave.Jid.Bare, new XElement(pam + "client-join", new XAttribute("channel", channel.ToString()),
            new XElement(CoreNs + "join", new XElement(CoreNs + "subscribe", new XAttribute("node", "urn:xmpp:mix:nodes:messages")), new XElement(CoreNs + "nick", "dave")))));
        Assert.That(joined.GetStanzaType(), Is.EqualTo("result"), joined.ToString());

        await Alice.SendAsync(new XElement(Ns.Client + "message", new XAttribute("to", channel.ToString()), new XAttribute("type", "groupchat"),
            new XAttribute("id", "live1"), new XElement(Ns.Client + "body", "while dave is online")));
        var live = await dave.WaitForAsync(e => e.Name.LocalName == "message" && e.Element(Ns.Client + "body")?.Value == "while dave is online");
        Assert.That(live.GetFrom()!.Bare, Is.EqualTo(channel), live.ToString());
        Assert.That(live.Element(Ns.StanzaId + "stanza-id"), Is.Not.Null, live.ToString());
        await dave.DisposeAsync();

        await Alice.SendAsync(new XElement(Ns.Client + "message", new XAttribute("to", channel.ToString()), new XAttribute("type", "groupchat"),
            new XAttribute("id", "away1"), new XElement(Ns.Client + "body", "while dave is away")));
        await Alice.WaitForAsync(e => e.Name.LocalName == "message" && e.Element(Ns.Client + "body")?.Value == "while dave is away");

        await using var daveAgain = await TestClient.ConnectAsync(Server.C2sPort, "dave", resource: "laptop");
        var fin = await daveAgain.RequestAsync(Stanza.Iq("set", null, channel, new XElement(Ns.Mam + "query", new XAttribute("queryid", "missed"))));
        Assert.That(fin.GetStanzaType(), Is.EqualTo("result"), fin.ToString());
        var archived = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var result = await daveAgain.WaitForAsync(e => e.Element(Ns.Mam + "result")?.Attribute("queryid")?.Value == "missed");
            archived.Add(result.Descendants(Ns.Client + "body").Single().Value);
        }
        Assert.That(archived, Is.EqualTo(new[] { "while dave is online", "while dave is away" }));
    }
}
