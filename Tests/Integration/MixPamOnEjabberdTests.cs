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
}
