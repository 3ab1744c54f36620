using System.Xml.Linq;
using XmppGroupChat.Mix.Muc;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Mix;

/// <summary>
/// The room side of a DMUC2 replica as the core sees it (XEP-0282 ENTER, LEAVE, message broadcast):
/// the replica greets its own users, and its single copy of a message carries the time.
/// </summary>
[TestFixture]
public sealed class RelaySeamTests
{
    private const string MucNs = "http://jabber.org/protocol/muc";
    private const string Replica = @"coven\40muc.test@replica.far";
    private RoomHostHarness _h = null!;

    [SetUp]
    public async Task SetUp()
    {
        // A replica the room host is primary for, registered with the room before its users enter.
        _h = await RoomHostHarness.StartAsync(new RoomHostSetup
        {
            Dmuc = new XmppGroupChat.Mix.Dmuc.DmucSettings([new("replica.far", "far")], TimeSpan.FromSeconds(30), MarkSplitUsersAway: true),
        });
        await _h.SendAsync($"<presence from='owner@test/a' to='coven@muc.test/boss'><x xmlns='{MucNs}'/></presence>");
        await _h.WaitForAsync(e => (string?)e.Attribute("to") == "owner@test/a" && e.Element(Ns.Component + "subject") != null);
        await _h.IqAsync("<iq type='set' id='cfg' from='owner@test/a' to='coven@muc.test'><query xmlns='http://jabber.org/protocol/muc#owner'>" +
                         "<x xmlns='jabber:x:data' type='submit'/></query></iq>");
        var registered = await _h.IqAsync($"<iq type='set' id='rep' from='{Replica}' to='coven@muc.test'><replicate xmlns='{Ns.Dmuc.NamespaceName}' history='0'/></iq>");
        Assert.That(registered.GetStanzaType(), Is.EqualTo("result"), registered.ToString());
        _h.TakeSent();
    }

    [TearDown]
    public async Task TearDown() => await _h.DisposeAsync();

    [Test]
    public async Task A_replica_user_entering_gets_an_enter_notice_and_nothing_the_replica_serves_itself()
    {
        await _h.SendAsync($"<presence from='{Replica}/s1' to='coven@muc.test/troy'><x xmlns='{MucNs}'/>" +
                           $"<x xmlns='{Ns.Dmuc.NamespaceName}'><user jid='troy@far/screwdriver'/></x></presence>");
        var enter = await _h.WaitForAsync(e => (string?)e.Attribute("to") == Replica + "/s1");
        Assert.That((string?)enter.Element(Ns.Dmuc + "x")?.Element(Ns.Dmuc + "enter")?.Attribute("jid"), Is.EqualTo("troy@far/screwdriver"), enter.ToString());
        await _h.SettleAsync();
        var toReplica = _h.TakeSent().Where(e => ((string?)e.Attribute("to"))!.Contains("replica.far")).ToList();
        Assert.That(toReplica.Where(e => (string?)e.Attribute("to") == Replica + "/s1"), Is.Empty,
            "no roster, history or subject: the replica has them");
        Assert.That(toReplica.Select(e => (string?)e.Attribute("to")), Is.EqualTo(new[] { Replica }), "the new presence, once, for the replica's other users");

        await _h.SendAsync("<message type='groupchat' id='m1' from='owner@test/a' to='coven@muc.test'><body>hi</body></message>");
        var copy = await _h.WaitForAsync(e => (string?)e.Attribute("to") == Replica && e.GetId() == "m1");
        var delay = copy.Element(Ns.Dmuc + "x")?.Element(Ns.Delay + "delay");
        Assert.That(delay, Is.Not.Null, copy.ToString());
        Assert.That((string?)delay!.Attribute("from"), Is.EqualTo("coven@muc.test/boss"));

        await _h.SendAsync($"<presence type='unavailable' from='{Replica}/s1' to='coven@muc.test/troy'/>");
        var leave = await _h.WaitForAsync(e => (string?)e.Attribute("to") == Replica + "/s1" && (string?)e.Attribute("type") == "unavailable");
        Assert.That((string?)leave.Element(Ns.Dmuc + "x")?.Element(Ns.Dmuc + "leave")?.Attribute("jid"), Is.EqualTo("troy@far/screwdriver"));
    }
}
