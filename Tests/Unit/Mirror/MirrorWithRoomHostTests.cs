using System.Xml.Linq;
using Microsoft.Extensions.Logging.Abstractions;
using XmppGroupChat.Mix.Fmuc;
using XmppGroupChat.Tests.Unit.Mix;
using XmppGroupChat.Xmpp;
using static XmppGroupChat.Tests.Unit.Mirror.MirrorTestKit;

namespace XmppGroupChat.Tests.Unit.Mirror;

/// <summary>
/// The mirror against this suite's own FMUC master (the room host's MUC face, trusting the mirror),
/// in process: what one sends the other is handed over as the servers would, and what crosses
/// between them is counted. One copy of each broadcast crosses, and each local user sees it once.
/// </summary>
[TestFixture]
public sealed class MirrorWithRoomHostTests
{
    private const string HostRoom = "coven@muc.test";
    private const string HostProxy = @"coven\40muc.test@mirror.beta.test";
    private const string Owner = "owner@test/a";

    private RoomHostHarness _host = null!;
    private MirrorHarness _mirror = null!;
    private readonly List<XElement> _toMirror = new();
    private readonly List<XElement> _toHost = new();
    private readonly List<XElement> _local = new();
    private readonly List<XElement> _direct = new();

    private async Task StartAsync(params (string, string)[] mirrorSettings)
    {
        _host = await RoomHostHarness.StartAsync(new RoomHostSetup { TrustedMirrors = [MirrorHarness.Domain] });
        // The room host answers the mirror's disco#info itself, through the pump.
        _mirror = new MirrorHarness(mirrorSettings) { MasterSpeaksFmuc = null };
        await _host.SendAsync($"<presence from='{Owner}' to='{HostRoom}/boss'><x xmlns='{Muc}'/></presence>");
        await _host.WaitForAsync(e => To(e) == Owner && Codes(e).Contains("201"));
        var ok = await _host.IqAsync($"<iq type='set' id='cfg' from='{Owner}' to='{HostRoom}'><query xmlns='http://jabber.org/protocol/muc#owner'>" +
                                     "<x xmlns='jabber:x:data' type='submit'/></query></iq>");
        Assert.That(ok.GetStanzaType(), Is.EqualTo("result"), ok.ToString());
        await PumpAsync();
        Clear();
    }

    [TearDown]
    public async Task TearDown() => await _host.DisposeAsync();

    private void Clear()
    {
        _toMirror.Clear();
        _toHost.Clear();
        _local.Clear();
        _direct.Clear();
    }

    /// <summary>Hands stanzas between the two until nothing moves (the room host delivers on its own loop).</summary>
    private async Task PumpAsync()
    {
        for (var quiet = 0; quiet < 2;)
        {
            await _host.SettleAsync();
            var moved = false;
            foreach (var e in _host.TakeSent())
            {
                if (Jid.Parse(To(e)!).Domain == MirrorHarness.Domain)
                {
                    _toMirror.Add(e);
                    await _mirror.DispatchAsync(e);
                    moved = true;
                }
                else _direct.Add(e);
            }
            foreach (var e in _mirror.TakeSent())
            {
                if (Jid.Parse(To(e)!).Domain == "muc.test")
                {
                    _toHost.Add(e);
                    await _host.DispatchAsync(e);
                    moved = true;
                }
                else _local.Add(e);
            }
            quiet = moved ? 0 : quiet + 1;
        }
    }

    private async Task JoinThroughMirrorAsync(string user, string nick, string history = "")
    {
        await _mirror.SendAsync($"<presence from='{user}' to='{HostProxy}/{nick}'><x xmlns='{Muc}'>{history}</x></presence>");
        await PumpAsync();
        Assert.That(_local.Any(e => To(e) == user && From(e) == $"{HostProxy}/{nick}" && Codes(e).Contains("110")), Is.True,
            $"{user} entered: " + string.Join("\n", _local.Concat(_toMirror)));
    }

    private List<XElement> MessagesWithBody(IEnumerable<XElement> stanzas, string body) =>
        stanzas.Where(e => e.Name.LocalName == "message" && Body(e) == body).ToList();

    [Test]
    public async Task One_copy_of_each_message_crosses_and_each_local_user_sees_it_once()
    {
        await StartAsync();
        await JoinThroughMirrorAsync(Kev, "kev");
        await JoinThroughMirrorAsync(Ann, "ann");
        Assert.That(_local.Count(e => To(e) == Kev && From(e) == $"{HostProxy}/ann" && e.Name.LocalName == "presence"), Is.EqualTo(1),
            "Kev sees Ann enter once");
        Clear();

        await _host.SendAsync($"<message type='groupchat' id='o1' from='{Owner}' to='{HostRoom}'><body>hello mirror</body></message>");
        await PumpAsync();
        Assert.That(MessagesWithBody(_toMirror, "hello mirror").Select(To), Is.EqualTo(new[] { HostProxy }), "one copy, to the proxy room");
        Assert.That(MessagesWithBody(_local, "hello mirror").Select(To), Is.EquivalentTo(new[] { Kev, Ann }));
        Assert.That(MessagesWithBody(_local, "hello mirror").Select(From), Is.All.EqualTo($"{HostProxy}/boss"));
        Clear();

        await _mirror.SendAsync($"<message type='groupchat' id='k1' from='{Kev}' to='{HostProxy}'><body>hello room</body></message>");
        await PumpAsync();
        Assert.That(MessagesWithBody(_direct, "hello room").Select(To), Is.EqualTo(new[] { Owner }));
        Assert.That(From(MessagesWithBody(_direct, "hello room").Single()), Is.EqualTo($"{HostRoom}/kev"));
        Assert.That(MessagesWithBody(_toMirror, "hello room"), Has.Count.EqualTo(1));
        Assert.That(MessagesWithBody(_local, "hello room").Select(To), Is.EquivalentTo(new[] { Kev, Ann }));
        Assert.That(MessagesWithBody(_local, "hello room").Select(e => e.GetId()), Is.All.EqualTo("k1"));
    }

    [Test]
    public async Task Fire_and_forget_sends_nothing_back_over_the_link()
    {
        await StartAsync(("Mirror:FireAndForget", "true"));
        await JoinThroughMirrorAsync(Kev, "kev");
        await JoinThroughMirrorAsync(Ann, "ann");
        Clear();

        await _mirror.SendAsync($"<message type='groupchat' id='f1' from='{Kev}' to='{HostProxy}'><body>quick</body></message>");
        await PumpAsync();
        Assert.That(MessagesWithBody(_toMirror, "quick"), Is.Empty, "the master honours nomirror");
        Assert.That(MessagesWithBody(_local, "quick").Select(To), Is.EquivalentTo(new[] { Kev, Ann }));
        Assert.That(MessagesWithBody(_direct, "quick").Select(To), Is.EqualTo(new[] { Owner }));
    }

    [Test]
    public async Task A_late_local_joiner_gets_history_from_the_mirror_not_over_the_link()
    {
        await StartAsync();
        foreach (var body in new[] { "one", "two" })
            await _host.SendAsync($"<message type='groupchat' from='{Owner}' to='{HostRoom}'><body>{body}</body></message>");
        await PumpAsync();
        await JoinThroughMirrorAsync(Kev, "kev");
        Assert.That(_local.Where(e => To(e) == Kev).Select(Body).Where(b => b != null), Is.EqualTo(new[] { "one", "two" }), "the master's history");
        Clear();

        await JoinThroughMirrorAsync(Ann, "ann", "<history maxstanzas='10'/>");
        Assert.That((string?)_toHost.Single().Descendants(Ns.Muc + "history").Single().Attribute("maxstanzas"), Is.EqualTo("0"));
        Assert.That(_toMirror.Where(e => Body(e) != null), Is.Empty, "no history crossed the link");
        var toAnn = _local.Where(e => To(e) == Ann).ToList();
        Assert.That(toAnn.Select(Body).Where(b => b != null), Is.EqualTo(new[] { "one", "two" }));
        Assert.That(toAnn.Where(e => Body(e) != null).Select(e => (string?)e.Element(Ns.Delay + "delay")!.Attribute("from")), Is.All.EqualTo(HostProxy));
        var order = toAnn.Select(e => e.Name.LocalName == "presence" && Codes(e).Contains("110") ? "self"
            : e.Element(Ns.Component + "subject") != null ? "subject" : Body(e) != null ? "history" : null).Where(k => k != null).ToList();
        Assert.That(order.IndexOf("self"), Is.LessThan(order.IndexOf("history")));
        Assert.That(order.LastIndexOf("history"), Is.LessThan(order.IndexOf("subject")));
    }

    [Test]
    public async Task When_the_last_local_user_leaves_the_link_carries_nothing_more_for_the_room()
    {
        await StartAsync();
        await JoinThroughMirrorAsync(Kev, "kev");
        await JoinThroughMirrorAsync(Ann, "ann");
        Clear();

        await _mirror.SendAsync($"<presence type='unavailable' from='{Kev}' to='{HostProxy}/kev'/>");
        await PumpAsync();
        Assert.That(_local.Where(e => e.GetStanzaType() == "unavailable").Select(To), Is.EquivalentTo(new[] { Kev, Ann }), "Kev's 110 and Ann's notice, once each");
        Assert.That(Codes(_local.Single(e => To(e) == Kev)), Does.Contain("110"));

        await _mirror.SendAsync($"<presence type='unavailable' from='{Ann}' to='{HostProxy}/ann'/>");
        await PumpAsync();
        Assert.That(_mirror.Mirror.RoomCount, Is.Zero);
        Clear();

        await _host.SendAsync($"<message type='groupchat' from='{Owner}' to='{HostRoom}'><body>alone</body></message>");
        await PumpAsync();
        Assert.That(_toMirror, Is.Empty);
        Assert.That(_local, Is.Empty);
    }
}
