using XmppGroupChat.Component;

namespace XmppGroupChat.Tests.Unit.Component;

/// <summary>
/// ejabberd routes every host of a listener over each connection to it: a stanza for a domain no
/// link of this process owns is answered from that domain, so its sender is not left waiting.
/// </summary>
[TestFixture]
public sealed class LinkGroupTests
{
    private const string Other = "other.test";
    private const string Fix = "other.test is not served on this server's component connection for mix.test: the server routes both " +
                               "domains over one listener. The server admin must give each domain its own component listener " +
                               "(ejabberd: one ejabberd_service entry per domain).";
    private LinkHarness _h = null!;

    [TearDown]
    public async Task TearDown() => await _h.DisposeAsync();

    [Test]
    public async Task Requests_messages_and_joins_for_a_domain_no_link_owns_get_service_unavailable_from_that_domain()
    {
        _h = LinkHarness.Start(group: new LinkGroup());
        var c = await _h.ConnectedAsync();
        await c.SendAsync(LinkHarness.Ping("q1", to: Other));
        await c.SendAsync($"<message type='groupchat' id='m1' from='user@test/r' to='room@{Other}'><body>hi</body></message>");
        await c.SendAsync($"<presence id='p1' from='user@test/r' to='room@{Other}/nick'><x xmlns='http://jabber.org/protocol/muc'/></presence>");
        // Never answered: errors, results and other presence.
        await c.SendAsync($"<iq type='result' id='n1' from='user@test/r' to='{Other}'/>");
        await c.SendAsync($"<message type='error' id='n2' from='user@test/r' to='room@{Other}'/>");
        await c.SendAsync($"<presence type='unavailable' id='n3' from='user@test/r' to='room@{Other}/nick'/>");
        await c.SendAsync(LinkHarness.Ping("own"));

        await c.WaitForIdAsync("own");
        XmlAssert.AreEqual(
            "<iq xmlns='jabber:component:accept' type='error' id='q1' from='other.test' to='user@test/r'><ping xmlns='urn:xmpp:ping'/>" +
            $"<error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' xml:lang='en'>{Fix}</text></error></iq>",
            await c.WaitForIdAsync("q1"));
        XmlAssert.AreEqual(LinkHarness.Error("message", "m1", $"room@{Other}", "service-unavailable", "cancel", Fix), await c.WaitForIdAsync("m1"));
        XmlAssert.AreEqual(
            $"<presence xmlns='jabber:component:accept' type='error' id='p1' from='room@{Other}/nick' to='user@test/r'><x xmlns='http://jabber.org/protocol/muc'/>" +
            $"<error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' xml:lang='en'>{Fix}</text></error></presence>",
            await c.WaitForIdAsync("p1"));
        Assert.That(c.Stanzas().Select(s => (string?)s.Attribute("id")), Is.EquivalentTo(new[] { "q1", "m1", "p1", "own" }));

        var logged = _h.Logger.WithId(1010);
        Assert.That(logged, Has.Count.EqualTo(1), "the admin is told once per pair of domains");
        Assert.That(logged[0]["Other"], Is.EqualTo(Other));
    }
}
