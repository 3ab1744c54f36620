using System.Xml.Linq;
using XmppGroupChat.Xmpp;
using static XmppGroupChat.Tests.Unit.Mirror.MirrorTestKit;

namespace XmppGroupChat.Tests.Unit.Mirror;

/// <summary>
/// Local history: the first local joiner gets the master's history; a later one is joined with
/// maxstanzas='0' and gets the mirror's copy, after its self-presence and before the subject.
/// </summary>
[TestFixture(MasterKind.Fmuc)]
[TestFixture(MasterKind.Plain)]
public sealed class MirrorHistoryTests(MasterKind master)
{
    private const string Old = "2020-01-01T10:00:00Z";
    private MirrorHarness _h = null!;
    private readonly List<string> _joined = new();

    [SetUp]
    public void SetUp()
    {
        _h = new MirrorHarness();
        _joined.Clear();
    }

    private async Task SelfPresenceAsync(string user, string nick) =>
        await _h.SendAsync($"<presence from='{Room}/{nick}' to='{_h.ProxyJidOf(user)}'><x xmlns='{MucUser}'>" +
                           "<item affiliation='none' role='participant'/><status code='110'/></x></presence>");

    private async Task SubjectAsync(string user) =>
        await _h.SendAsync($"<message type='groupchat' from='{Room}/Curtis' to='{_h.ProxyJidOf(user)}'><subject>Spells</subject></message>");

    private async Task LiveAsync(string id, string body)
    {
        var m = $"<body>{body}</body><stanza-id xmlns='urn:xmpp:sid:0' id='arch-{id}' by='{Room}'/>";
        if (master == MasterKind.Fmuc)
            await _h.SendAsync($"<message type='groupchat' id='{id}' from='{Room}/Curtis' to='{Proxy}'>{m}</message>");
        else
            foreach (var user in _joined)
                await _h.SendAsync($"<message type='groupchat' id='{id}' from='{Room}/Curtis' to='{_h.ProxyJidOf(user)}'>{m}</message>");
    }

    /// <summary>Kev enters first and gets the master's history; then one live message.</summary>
    private async Task FirstJoinerAsync()
    {
        await _h.SendAsync($"<presence from='{Kev}' to='{Proxy}/Kev'><x xmlns='{Muc}'><history maxstanzas='5'/></x></presence>");
        var up = _h.TakeSent().Single();
        Assert.That((string?)up.Descendants(Ns.Muc + "history").Single().Attribute("maxstanzas"), Is.EqualTo("5"),
            "nobody here receives the room yet: the master sends the history");
        await SelfPresenceAsync(Kev, "Kev");
        foreach (var (id, body) in new[] { ("h1", "old one"), ("h2", "old two") })
            await _h.SendAsync($"<message type='groupchat' id='{id}' from='{Room}/Curtis' to='{_h.ProxyJidOf(Kev)}'><body>{body}</body>" +
                               $"<stanza-id xmlns='urn:xmpp:sid:0' id='arch-{id}' by='{Room}'/><delay xmlns='urn:xmpp:delay' from='{Room}' stamp='{Old}'/></message>");
        await SubjectAsync(Kev);
        _joined.Add(Kev);
        await LiveAsync("l1", "live one");
        Assert.That(_h.TakeSent().Where(e => To(e) == Kev).Select(Body).Where(b => b != null), Is.EqualTo(new[] { "old one", "old two", "live one" }));
    }

    [Test]
    public async Task A_late_joiner_gets_the_mirrors_history_between_self_presence_and_subject()
    {
        await FirstJoinerAsync();

        await _h.SendAsync($"<presence from='{Ann}' to='{Proxy}/Ann'><x xmlns='{Muc}'><history maxstanzas='2'/></x></presence>");
        XmlAssert.AreEqual($"""
            <presence xmlns='jabber:component:accept' from='{_h.ProxyJidOf(Ann)}' to='{Room}/Ann'>
              <x xmlns='{Muc}'><history maxstanzas='0'/></x>
              <fmuc xmlns='{Fmuc}' from='{Ann}'/>
            </presence>
            """, _h.TakeSent().Single());

        await SelfPresenceAsync(Ann, "Ann");
        await SubjectAsync(Ann);
        var toAnn = _h.TakeSent();
        Assert.That(toAnn.Select(To), Is.All.EqualTo(Ann));
        Assert.That(toAnn.Select(e => e.Name.LocalName == "presence" ? "self" : e.Element(Ns.Component + "subject") != null ? "subject" : Body(e)),
            Is.EqualTo(new[] { "self", "old two", "live one", "subject" }));
        XmlAssert.AreEqual($"""
            <message xmlns='jabber:component:accept' type='groupchat' id='h2' from='{Proxy}/Curtis' to='{Ann}'>
              <body>old two</body>
              <stanza-id xmlns='urn:xmpp:sid:0' id='arch-h2' by='{Room}'/>
              <delay xmlns='urn:xmpp:delay' from='{Proxy}' stamp='{Old}'/>
            </message>
            """, toAnn[1]);
        Assert.That((string?)toAnn[2].Element(Ns.Delay + "delay")!.Attribute("from"), Is.EqualTo(Proxy));
    }

    [Test]
    public async Task Copies_a_plain_muc_sends_every_session_are_kept_once()
    {
        await FirstJoinerAsync();
        await _h.JoinAsync(Ann, "Ann");
        _joined.Add(Ann);
        await LiveAsync("l2", "live two");
        _h.TakeSent();

        await _h.SendAsync($"<presence from='{Bob}' to='{Proxy}/Bob'><x xmlns='{Muc}'/></presence>");
        await SelfPresenceAsync(Bob, "Bob");
        var toBob = _h.TakeSent().Where(e => To(e) == Bob).Select(Body).Where(b => b != null);
        Assert.That(toBob, Is.EqualTo(new[] { "old one", "old two", "live one", "live two" }), "without <history/>, the default: all kept here up to 20");
    }

    [TestCase("maxchars='0'", new string[0])]
    [TestCase("maxstanzas='1'", new[] { "live one" })]
    [TestCase("seconds='3600'", new[] { "live one" })]
    [TestCase("since='2019-12-31T00:00:00Z'", new[] { "old one", "old two", "live one" })]
    [TestCase("since='2030-01-01T00:00:00Z'", new string[0])]
    public async Task The_mirrors_history_honours_the_joiners_limits(string limit, string[] expected)
    {
        await FirstJoinerAsync();
        await _h.JoinAsync(Ann, "Ann", history: $"<history {limit}/>");
        Assert.That(_h.TakeSent().Where(e => To(e) == Ann).Select(Body).Where(b => b != null), Is.EqualTo(expected));
    }

    [Test]
    public async Task Local_history_is_bounded_and_goes_with_the_room()
    {
        _h = new MirrorHarness(("Mirror:HistorySize", "2"));
        await FirstJoinerAsync();
        await _h.JoinAsync(Ann, "Ann");
        Assert.That(_h.TakeSent().Where(e => To(e) == Ann).Select(Body).Where(b => b != null), Is.EqualTo(new[] { "old two", "live one" }));

        foreach (var user in new[] { Kev, Ann })
        {
            await _h.SendAsync($"<presence type='unavailable' from='{user}' to='{Proxy}/x'/>");
            await _h.SendAsync($"<presence type='unavailable' from='{Room}/{(user == Kev ? "Kev" : "Ann")}' to='{_h.ProxyJidOf(user)}'><x xmlns='{MucUser}'><status code='110'/></x></presence>");
        }
        Assert.That(_h.Mirror.RoomCount, Is.Zero);
        await _h.SendAsync($"<presence from='{Bob}' to='{Proxy}/Bob'><x xmlns='{Muc}'/></presence>");
        Assert.That(_h.TakeSent().Last().Descendants(Ns.Muc + "history"), Is.Empty, "a fresh room: the master sends history again");
    }

    [Test]
    public async Task Fire_and_forget_messages_are_kept_as_local_history_too()
    {
        _h = new MirrorHarness(("Mirror:FireAndForget", "true"));
        await _h.JoinAsync(Kev, "Kev");
        await _h.SendAsync($"<message type='groupchat' id='f1' from='{Kev}' to='{Proxy}'><body>said here</body></message>");
        _h.TakeSent();
        await _h.JoinAsync(Ann, "Ann");
        var replayed = _h.TakeSent().Single(e => Body(e) != null);
        Assert.That(From(replayed), Is.EqualTo($"{Proxy}/Kev"));
        Assert.That(replayed.Element(Ns.Delay + "delay"), Is.Not.Null);
    }
}
