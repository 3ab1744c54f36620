using XmppGroupChat.Mirror.Fmuc;
using XmppGroupChat.Xmpp;
using static XmppGroupChat.Tests.Unit.Mirror.MirrorTestKit;

namespace XmppGroupChat.Tests.Unit.Mirror;

/// <summary>FMUC addressing: the XEP-0106 escape of the room JID at the mirror's domain, and the refusals for anything else.</summary>
[TestFixture]
public sealed class ProxyAddressTests
{
    private static readonly Jid MirrorDomain = Jid.Parse("mirror.remote.example.com");

    [Test]
    public void The_seed_example_escapes_and_reads_back()
    {
        var proxy = ProxyAddress.Of(Jid.Parse("jabberchat@talk.example.com"), MirrorDomain);
        Assert.That(proxy.ToString(), Is.EqualTo(@"jabberchat\40talk.example.com@mirror.remote.example.com"));
        Assert.That(ProxyAddress.TryReadMaster(proxy, MirrorDomain, out var master), Is.Null);
        Assert.That(master.ToString(), Is.EqualTo("jabberchat@talk.example.com"));
    }

    [Test]
    public void A_room_localpart_with_a_backslash_round_trips()
    {
        var room = Jid.Parse(@"a\20b@muc.alpha.test");
        var proxy = ProxyAddress.Of(room, MirrorDomain);
        Assert.That(ProxyAddress.TryReadMaster(proxy, MirrorDomain, out var master), Is.Null);
        Assert.That(master, Is.EqualTo(room));
    }

    [TestCase(@"room\40muc.alpha.test\2fnick", StanzaErrorCondition.JidMalformed, TestName = "a full JID is not a room")]
    [TestCase(@"\40muc.alpha.test", StanzaErrorCondition.JidMalformed, TestName = "an empty room localpart")]
    [TestCase(@"room\40\40muc.alpha.test", StanzaErrorCondition.JidMalformed, TestName = "two at signs")]
    [TestCase(@"room\40muc\20alpha.test", StanzaErrorCondition.JidMalformed, TestName = "a space in the domain")]
    [TestCase(@"ro\22om\40muc.alpha.test", StanzaErrorCondition.JidMalformed, TestName = "a quote in the room localpart")]
    [TestCase(@"a\5cb\40muc.alpha.test", StanzaErrorCondition.JidMalformed, TestName = "not the canonical escape")]
    [TestCase("muc.alpha.test", StanzaErrorCondition.ItemNotFound, TestName = "a service, not a room")]
    [TestCase("room", StanzaErrorCondition.ItemNotFound, TestName = "no escaped at sign at all")]
    [TestCase(@"room\40mirror.beta.test", StanzaErrorCondition.NotAcceptable, TestName = "the mirror's own domain")]
    public async Task A_node_that_is_not_a_room_is_refused_with_the_condition_that_says_why(string node, StanzaErrorCondition condition)
    {
        var h = new MirrorHarness();
        var address = $"{node}@{MirrorHarness.Domain}";
        await h.SendAsync($"<presence id='p' from='{Kev}' to='{address}/Kev'><x xmlns='{Muc}'/></presence>");
        await h.SendAsync($"<message id='m' type='groupchat' from='{Kev}' to='{address}'><body>hi</body></message>");
        await h.SendAsync($"<iq id='i' type='get' from='{Kev}' to='{address}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        var sent = h.TakeSent();
        Assert.That(sent.Select(e => e.GetId()), Is.EqualTo(new[] { "p", "m", "i" }));
        Assert.That(sent.Select(Condition), Is.All.EqualTo(condition));
        Assert.That(sent.Select(To), Is.All.EqualTo(Kev));
        Assert.That(h.Mirror.RoomCount, Is.Zero);
    }

    [Test]
    public async Task An_error_to_a_malformed_address_is_not_answered()
    {
        var h = new MirrorHarness();
        await h.SendAsync($"<message type='error' from='{Kev}' to='muc.alpha.test@{MirrorHarness.Domain}'><error type='cancel'>" +
                          "<service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
        Assert.That(h.TakeSent(), Is.Empty);
    }

    [Test]
    public async Task The_mirror_domain_advertises_fmuc()
    {
        var h = new MirrorHarness();
        await h.SendAsync($"<iq id='d' type='get' from='{Kev}' to='{MirrorHarness.Domain}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
        var info = DiscoInfo.Parse(h.TakeSent().Single().GetPayload()!);
        Assert.That(info.Features, Does.Contain(Fmuc).And.Contain("urn:xmpp:ping"));
        Assert.That(info.Identities.Single().Category, Is.EqualTo("conference"));
    }
}
