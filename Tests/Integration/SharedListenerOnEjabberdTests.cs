using System.Xml.Linq;
using XmppGroupChat.Tests.Integration.Infrastructure;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Integration;

/// <summary>
/// An ejabberd listener shared by the mirror's domain and a domain no program of the suite
/// serves (as when two programs share one ejabberd_service entry): ejabberd routes both over the
/// mirror's connection, and the mirror answers the other domain's users with service-unavailable
/// from that domain, naming the fix, instead of leaving them to time out.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class SharedListenerOnEjabberdTests
{
    private const string Other = "other.localhost";
    private EjabberdServer _server = null!;
    private ComponentProgram _mirror = null!;

    [OneTimeSetUp]
    public async Task StartServerAndMirror()
    {
        _server = new EjabberdServer(editConfig: (server, config) => AddHostToMirrorListener(config, server.Secret));
        await _server.StartAsync();
        _mirror = ComponentProgram.Start("mirror", _server);
        await _mirror.WaitConnectedAsync(TimeSpan.FromSeconds(30));
    }

    [OneTimeTearDown]
    public async Task StopAll()
    {
        _mirror?.Dispose();
        if (_server != null) await _server.DisposeAsync();
    }

    [TearDown]
    public void ShowOutputOnFailure()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status != NUnit.Framework.Interfaces.TestStatus.Failed) return;
        TestContext.Out.WriteLine($"--- mirror\n{_mirror.Process.Output}\n--- ejabberd\n{_server.Log}");
    }

    private static string AddHostToMirrorListener(string config, string secret)
    {
        var entry = $"      \"mirror.localhost\":\n        password: \"{secret}\"\n";
        if (!config.Contains(entry, StringComparison.Ordinal))
            throw new InvalidOperationException("the ejabberd sample no longer declares the mirror's listener as expected");
        return config.Replace(entry, entry + $"      \"{Other}\":\n        password: \"{secret}\"\n", StringComparison.Ordinal);
    }

    [Test]
    public async Task A_request_and_a_message_for_the_unserved_domain_get_service_unavailable_naming_the_fix()
    {
        await using var alice = await TestClient.ConnectAsync(_server.C2sPort, "alice");

        var info = await alice.RequestAsync(Stanza.Iq("get", null, Jid.Parse(Other), new XElement(Ns.DiscoInfo + "query")));
        AssertRefused(info);
        await alice.SendAsync(Stanza.Message(null, Jid.Parse("room@" + Other), "groupchat", "hello?", id: "m1"));
        AssertRefused(await alice.WaitForAsync(e => e.GetId() == "m1"));

        // The mirror's own domain is unaffected, and the admin is told once, naming both domains.
        var ping = await alice.RequestAsync(Stanza.Iq("get", null, Jid.Parse("mirror.localhost"), new XElement(Ns.Ping + "ping")));
        Assert.That(ping.GetStanzaType(), Is.EqualTo("result"), ping.ToString());
        Assert.That(_mirror.Process.OutputCount("[1010]"), Is.EqualTo(1), _mirror.Process.Output);
        Assert.That(_mirror.Process.Output, Does.Contain($"mirror.localhost: the server sends stanzas for {Other}"));
    }

    private static void AssertRefused(XElement answer)
    {
        Assert.That(answer.GetStanzaType(), Is.EqualTo("error"), answer.ToString());
        Assert.That(answer.GetFrom()!.Domain, Is.EqualTo(Other), answer.ToString());
        var error = StanzaError.FromStanza(answer)!;
        Assert.That(error.Condition, Is.EqualTo(StanzaErrorCondition.ServiceUnavailable), answer.ToString());
        Assert.That(error.Text, Does.Contain("one ejabberd_service entry per domain"), answer.ToString());
    }
}
