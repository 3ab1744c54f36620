using System.Xml.Linq;
using XmppGroupChat.Tests.Integration.Infrastructure;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Integration;

/// <summary>A server restart must not need anybody to restart the components.</summary>
[TestFixture(ServerKind.Prosody)]
[TestFixture(ServerKind.Ejabberd)]
[Category("Integration")]
public sealed class ServerRestartTests(ServerKind kind) : ServerWithProgramsFixture(kind)
{
    [Test]
    public async Task Every_program_is_back_by_itself_after_the_server_restarts()
    {
        await Alice.DisposeAsync();
        await Server.RestartAsync();
        var restarted = DateTime.UtcNow;
        Alice = await TestClient.ConnectAsync(Server.C2sPort, "alice");

        foreach (var domain in XmppServer.ComponentDomains)
        {
            XElement? response = null;
            while (DateTime.UtcNow - restarted < TimeSpan.FromSeconds(20))
            {
                response = await Alice.RequestAsync(Stanza.Iq("get", null, Jid.Parse(domain), new XElement(Ns.Ping + "ping")));
                if (response.GetStanzaType() == "result") break;
                await Task.Delay(200);
            }
            Assert.That(response!.GetStanzaType(), Is.EqualTo("result"), $"{domain} did not come back: {response}");
        }
        TestContext.Out.WriteLine($"all components answered {(DateTime.UtcNow - restarted).TotalSeconds:0.0} s after the restart");
        Assert.That(Programs.All(p => !p.Process.HasExited), Is.True, "no program may exit on a server restart");
    }
}
