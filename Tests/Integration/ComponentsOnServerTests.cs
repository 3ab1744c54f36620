using System.Xml.Linq;
using XmppGroupChat.Tests.Integration.Infrastructure;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Integration;

/// <summary>
/// The three programs attached to a real Prosody and a real ejabberd: each domain answers disco
/// and ping for a real client, refuses what it does not serve, comes back by itself after the
/// server restarts, and a wrong secret ends the program with a clear message.
/// </summary>
[TestFixture(ServerKind.Prosody)]
[TestFixture(ServerKind.Ejabberd)]
[Category("Integration")]
public sealed class ComponentsOnServerTests(ServerKind kind) : ServerWithProgramsFixture(kind)
{
    private static IEnumerable<string> Domains => XmppServer.ComponentDomains;

    [TestCaseSource(nameof(Domains))]
    public async Task A_client_gets_disco_info_with_an_identity(string domain)
    {
        var response = await Alice.RequestAsync(Stanza.Iq("get", null, Jid.Parse(domain), new XElement(Ns.DiscoInfo + "query")));
        Assert.That(response.GetStanzaType(), Is.EqualTo("result"), response.ToString());
        var info = DiscoInfo.Parse(response.Element(Ns.DiscoInfo + "query")!);
        Assert.That(info.Identities.Select(i => i.Category), Does.Contain("conference"));
        Assert.That(info.Features, Does.Contain(Ns.Ping.NamespaceName).And.Contain(Ns.DiscoInfo.NamespaceName));
    }

    [TestCaseSource(nameof(Domains))]
    public async Task A_client_pings_the_component(string domain)
    {
        var response = await Alice.RequestAsync(Stanza.Iq("get", null, Jid.Parse(domain), new XElement(Ns.Ping + "ping")));
        Assert.That(response.GetStanzaType(), Is.EqualTo("result"), response.ToString());
    }

    [TestCaseSource(nameof(Domains))]
    public async Task An_unknown_iq_gets_service_unavailable(string domain)
    {
        var response = await Alice.RequestAsync(Stanza.Iq("get", null, Jid.Parse(domain),
            new XElement(XNamespace.Get("urn:example:nothing") + "query")));
        Assert.That(response.GetStanzaType(), Is.EqualTo("error"));
        Assert.That(StanzaError.FromStanza(response)!.Condition, Is.EqualTo(StanzaErrorCondition.ServiceUnavailable));
    }

    [TestCaseSource(nameof(Domains))]
    public async Task An_iq_to_an_entity_that_does_not_exist_gets_item_not_found(string domain)
    {
        var response = await Alice.RequestAsync(Stanza.Iq("get", null, Jid.Parse("nobody@" + domain), new XElement(Ns.Ping + "ping")));
        Assert.That(StanzaError.FromStanza(response)!.Condition, Is.EqualTo(StanzaErrorCondition.ItemNotFound));
    }

    [TestCaseSource(nameof(Domains))]
    public async Task A_message_the_component_does_not_serve_is_bounced_not_dropped(string domain)
    {
        var message = Stanza.Message(null, Jid.Parse(domain), "chat", "hello?", id: "m-" + domain);
        await Alice.SendAsync(message);
        var bounce = await Alice.WaitForAsync(e => e.GetId() == "m-" + domain);
        Assert.That(bounce.GetStanzaType(), Is.EqualTo("error"));
        Assert.That(StanzaError.FromStanza(bounce)!.Condition, Is.EqualTo(StanzaErrorCondition.ServiceUnavailable));
    }

    [TestCaseSource(nameof(Domains))]
    public async Task Slixmpp_discovers_and_pings_the_component(string domain)
    {
        var result = await Slixmpp.RunAsync("disco_ping.py", $"alice@{XmppServer.Domain}/slix", "pass", Server.C2sPort.ToString(), domain);
        Assert.That(result.GetProperty("ping").GetBoolean(), Is.True);
        var categories = result.GetProperty("identities").EnumerateArray().Select(i => i[0].GetString());
        Assert.That(categories, Does.Contain("conference"));
        var features = result.GetProperty("features").EnumerateArray().Select(f => f.GetString());
        Assert.That(features, Does.Contain("urn:xmpp:ping"));
    }

    [TestCaseSource(typeof(ComponentProgram), nameof(ComponentProgram.All))]
    public async Task A_wrong_secret_ends_the_program_with_a_clear_message(string name)
    {
        using var program = ComponentProgram.Start(name, Server, secret: "not-the-secret");
        Assert.That(await program.Process.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.True,
            $"{name} kept running with a wrong secret:\n{program.Process.Output}");
        Assert.That(program.Process.ExitCode, Is.EqualTo(2));
        Assert.That(program.Process.Output, Does.Contain("secret does not match"));
        Assert.That(program.Process.Output, Does.Not.Contain("not-the-secret"), "the secret must never be logged");
    }
}
