using System.Xml.Linq;
using XmppGroupChat.Tests.Integration.Infrastructure;
using XmppGroupChat.Tests.Integration.Infrastructure.Federation;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Integration;

/// <summary>
/// FMUC across two federated Prosody servers (issue 5's proof): the room on alpha, either on the
/// suite's room host (muc.alpha.test, which trusts mirror.beta.test) or on Prosody's own mod_muc
/// (conference.alpha.test, a plain MUC); the mirror on beta, and users on both sides. What crosses
/// the s2s link is counted by the federation's proxies. This file holds the behaviour across the
/// link; FmucFederatedTests.LinkCost.cs measures what one room message costs on it.
/// </summary>
[Category("Integration")]
public sealed partial class FmucFederatedTests : FederationFixture
{
    /// <summary>The rooms of this name on both masters are fire-and-forget at the mirror (the per-room override).</summary>
    private const string NoMirrorRoom = "nomirror";
    private const string FmucNs = "http://isode.com/protocol/fmuc";
    private static readonly TimeSpan Delivery = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(700);

    private TestClient? _alice;
    private readonly List<TestClient> _betaUsers = new();

    private static readonly string[] MirrorArgs =
    [
        $"--Mirror:Rooms:{NoMirrorRoom}@muc.alpha.test:FireAndForget=true",
        $"--Mirror:Rooms:{NoMirrorRoom}@conference.alpha.test:FireAndForget=true",
        // No periodic self-pings: they would cross the link inside the measured windows. The
        // master-restart tests recover through the users' own messages and self-pings.
        "--Mirror:RoomCheckSeconds=0",
    ];

    protected override FederatedServerSpec[] Topology =>
    [
        new("alpha") { ServerMuc = true, Programs = [new FederatedProgram("mix", "--Muc:TrustedMirrors:0=mirror.beta.test")] },
        new("beta") { Programs = [new FederatedProgram("mirror", MirrorArgs)] },
    ];

    private FederatedServer Alpha => Federation["alpha"];
    private FederatedServer Beta => Federation["beta"];
    private S2sLink Link => Federation.Link(Alpha, Beta);
    private string MirrorDomain => Beta.ComponentDomain("mirror");

    /// <summary>The two kinds of master, by the service the room is on.</summary>
    private string Service(string master) => master == RoomHost ? Alpha.ComponentDomain("muc") : Alpha.ServerMucDomain;

    private const string RoomHost = "room host";
    private const string ProsodyMuc = "Prosody mod_muc";

    [OneTimeTearDown]
    public async Task DisconnectUsers()
    {
        // Before the federation stops (NUnit runs a derived class's one-time tear-down first).
        foreach (var client in _betaUsers) await client.DisposeAsync();
        if (_alice != null) await _alice.DisposeAsync();
    }

    private async Task<TestClient> AliceAsync() => _alice ??= await Alpha.ConnectAsync("alice", "a");

    /// <summary>The first <paramref name="count"/> users of beta (u01, u02, …), logged in once for the whole fixture.</summary>
    private async Task<IReadOnlyList<TestClient>> BetaUsersAsync(int count)
    {
        while (_betaUsers.Count < count) _betaUsers.Add(await Beta.ConnectAsync(Nick(_betaUsers.Count), "b"));
        return _betaUsers.Take(count).ToList();
    }

    private static string Nick(int index) => $"u{index + 1:00}";

    /// <summary>The mirror's address for <paramref name="room"/>: its XEP-0106 escape at mirror.beta.test.</summary>
    private Jid ProxyOf(Jid room) => Jid.Create(JidEscaping.Escape(room.ToString()), MirrorDomain);

    // ---- behaviour across the link ----

    [TestCase(RoomHost, TestName = "Nomirror with the room host: local users get it while the link is stalled, and the master sends no copy back")]
    [TestCase(ProsodyMuc, TestName = "Nomirror with Prosody's MUC: local users get it while the link is stalled, and the plain MUC's echoes are dropped")]
    public async Task Fire_and_forget_delivers_locally_at_once(string master)
    {
        var alice = await AliceAsync();
        var room = await CreateRoomAsync(Jid.Parse($"{NoMirrorRoom}@{Service(master)}"));
        var proxy = ProxyOf(room);
        var users = await BetaUsersAsync(2);
        for (var i = 0; i < users.Count; i++) await EnterAsync(users[i], proxy, Nick(i));
        await WaitQuietAsync();

        var id = NewId("ff");
        var taken = new Dictionary<TestClient, List<XElement>>();
        var mark = Link.Mark();
        Link.Stall();
        try
        {
            await users[0].SendAsync(Stanza.Message(null, proxy, "groupchat", "no round trip", id));
            foreach (var user in users)
            {
                var local = await user.WaitForAsync(e => e.GetId() == id, Delivery);
                Assert.That(local.Attribute("from")!.Value, Is.EqualTo(proxy.WithResource(Nick(0)).ToString()));
                taken[user] = [local];
            }
            Assert.That(Link.Count(Beta, Alpha, c => c.Id == id, mark), Is.Zero, "delivered on beta before anything could cross");
        }
        finally
        {
            Link.Unblock();
        }
        var atAlice = await alice.WaitForAsync(e => e.GetId() == id, Delivery);
        Assert.That(atAlice.Attribute("from")!.Value, Is.EqualTo(room.WithResource(Nick(0)).ToString()));
        taken[alice] = [atAlice];
        var upstream = Link.Crossed(Beta, Alpha, mark).Where(c => c.Name == "message" && c.Id == id).ToList();
        Assert.That(upstream, Has.Count.EqualTo(1));
        Assert.That(upstream[0].Element.Element(XName.Get("nomirror", FmucNs)), Is.Not.Null);

        // A message from alice after it is a barrier: whatever the master sent for the first went before it.
        var barrier = NewId("after");
        await alice.SendAsync(Stanza.Message(null, room, "groupchat", "after", barrier));
        await AssertEachReceivesOnceAsync(users.Append(alice), [id, barrier], taken);
        var echoes = Link.Count(Alpha, Beta, c => c.Name == "message" && c.Id == id, mark);
        if (master == RoomHost)
            Assert.That(echoes, Is.Zero, "the FMUC master honours nomirror");
        else
            Assert.That(echoes, Is.EqualTo(users.Count), "a plain MUC echoes to each proxy session; the mirror drops them");
        await LeaveAllAsync(room, proxy, users);
    }

    [TestCase(RoomHost)]
    [TestCase(ProsodyMuc)]
    public async Task A_join_refused_by_a_members_only_room_reaches_the_user_as_an_error(string master)
    {
        var alice = await AliceAsync();
        var room = await CreateRoomAsync(Service(master), "closed", ("muc#roomconfig_membersonly", "1"));
        var proxy = ProxyOf(room);
        var user = (await BetaUsersAsync(1))[0];

        await user.SendAsync(JoinPresence(proxy.WithResource("outsider")));
        var error = await user.WaitForAsync(e => e.Name.LocalName == "presence" && FromBare(e) == proxy, Delivery);
        Assert.That(error.GetStanzaType(), Is.EqualTo("error"), error.ToString());
        Assert.That(StanzaError.FromStanza(error)?.Condition, Is.EqualTo(StanzaErrorCondition.RegistrationRequired), error.ToString());

        // The mirror forgot the refused session: it may not speak in the room, and nothing crosses for it.
        var mark = Link.Mark();
        var id = NewId("outside");
        await user.SendAsync(Stanza.Message(null, proxy, "groupchat", "let me in", id));
        var refused = await user.WaitForAsync(e => e.GetId() == id, Delivery);
        Assert.That(StanzaError.FromStanza(refused)?.Condition, Is.EqualTo(StanzaErrorCondition.NotAcceptable), refused.ToString());
        Assert.That(Link.Count(Beta, Alpha, c => c.IsStanza, mark), Is.Zero);
        await LeaveAsync(alice, room, "alice");
    }

    [TestCase(RoomHost)]
    [TestCase(ProsodyMuc)]
    public async Task A_nick_change_through_the_mirror_is_refused_on_beta(string master)
    {
        var alice = await AliceAsync();
        var room = await CreateRoomAsync(Service(master), "nick");
        var proxy = ProxyOf(room);
        var user = (await BetaUsersAsync(1))[0];
        await EnterAsync(user, proxy, Nick(0));
        await WaitQuietAsync();

        var mark = Link.Mark();
        await user.SendAsync(new XElement(Ns.Client + "presence", new XAttribute("id", "rename"), new XAttribute("to", proxy.WithResource("renamed").ToString())));
        var refused = await user.WaitForAsync(e => e.GetId() == "rename", Delivery);
        var error = StanzaError.FromStanza(refused);
        Assert.That(error?.Condition, Is.EqualTo(StanzaErrorCondition.NotAcceptable), refused.ToString());
        Assert.That(error?.Type, Is.EqualTo(StanzaErrorType.Modify));
        Assert.That(Link.Count(Beta, Alpha, c => c.IsStanza, mark), Is.Zero, "nothing went upstream");

        // Still in the room under the old nick.
        var id = NewId("still");
        await alice.SendAsync(Stanza.Message(null, room, "groupchat", "still there?", id));
        await user.WaitForAsync(e => e.GetId() == id, Delivery);
        await LeaveAllAsync(room, proxy, [user]);
    }

    [TestCase(RoomHost)]
    [TestCase(ProsodyMuc)]
    public async Task After_the_last_local_user_leaves_nothing_for_the_room_crosses_the_link(string master)
    {
        var alice = await AliceAsync();
        var room = await CreateRoomAsync(Service(master), "empty");
        var proxy = ProxyOf(room);
        var users = await BetaUsersAsync(2);
        for (var i = 0; i < users.Count; i++) await EnterAsync(users[i], proxy, Nick(i));
        for (var i = 0; i < users.Count; i++) await ExitAsync(users[i], proxy, Nick(i));
        await WaitQuietAsync();

        var mark = Link.Mark();
        var ids = Enumerable.Range(1, 3).Select(_ => NewId("alone")).ToList();
        foreach (var id in ids)
        {
            await alice.SendAsync(Stanza.Message(null, room, "groupchat", "anyone?", id));
            await alice.WaitForAsync(e => e.GetId() == id, Delivery);
        }
        await alice.SendAsync(new XElement(Ns.Client + "presence", new XAttribute("to", room.WithResource("alice").ToString()),
            new XElement(Ns.Client + "show", "away")));
        await alice.WaitForAsync(e => e.Name.LocalName == "presence" && e.Element(Ns.Client + "show")?.Value == "away", Delivery);

        // A barrier on the same way (room service -> mirror domain): the room's answer to a disco#info
        // the mirror relays for a user outside the room comes after anything the room sent before it.
        var info = await users[0].RequestAsync(Stanza.Iq("get", null, proxy, new XElement(Ns.DiscoInfo + "query")), Delivery);
        Assert.That(info.GetStanzaType(), Is.EqualTo("result"), info.ToString());
        var toMirror = Link.Crossed(Alpha, Beta, mark).Where(c => c.IsStanza && c.To?.EndsWith(MirrorDomain, StringComparison.Ordinal) == true).ToList();
        Assert.That(toMirror.Where(c => !(c.Name == "iq" && c.Type == "result")), Is.Empty,
            "no stanza for the room crossed: " + string.Join("\n", toMirror));
        Assert.That(toMirror, Has.Count.EqualTo(1), "only the barrier's answer");
        await LeaveAsync(alice, room, "alice");
    }

    [Test]
    public async Task A_restarted_mirrors_users_leave_the_room_and_the_room_stops_sending_to_it()
    {
        var alice = await AliceAsync();
        var room = await CreateRoomAsync(Service(RoomHost), "restart");
        var proxy = ProxyOf(room);
        var users = await BetaUsersAsync(2);
        for (var i = 0; i < users.Count; i++) await EnterAsync(users[i], proxy, Nick(i));
        await WaitQuietAsync();

        // A mirror that lost its storage comes back knowing nothing of its rooms (restarting on its storage keeps them: see FmucFederatedTests.Restart.cs).
        var mirror = Beta.Programs.Last(p => p.Name == "mirror");
        await mirror.Process.StopAsync(TimeSpan.FromSeconds(5));
        await Beta.StartProgramAsync("mirror", MirrorArgs);

        var mark = Link.Mark();
        var first = NewId("lost");
        await alice.SendAsync(Stanza.Message(null, room, "groupchat", "are you there?", first));
        for (var i = 0; i < users.Count; i++)
        {
            var nick = room.WithResource(Nick(i)).ToString();
            // alice was told of the join earlier; now she hears of the exit.
            await alice.WaitForAsync(e => e.Name.LocalName == "presence" && e.Attribute("from")?.Value == nick && e.GetStanzaType() == "unavailable", Delivery);
        }
        var answer = Link.Crossed(Beta, Alpha, mark).Single(c => c.Name == "message" && c.Id == first);
        Assert.That(answer.Type, Is.EqualTo("error"));
        Assert.That(answer.From, Is.EqualTo(proxy.ToString()), "the restarted mirror answered for the proxy room");

        await WaitQuietAsync();
        var after = Link.Mark();
        var second = NewId("alone");
        await alice.SendAsync(Stanza.Message(null, room, "groupchat", "nobody there", second));
        await alice.WaitForAsync(e => e.GetId() == second, Delivery);
        await WaitQuietAsync();
        Assert.That(Link.Count(Alpha, Beta, c => c.IsStanza, after), Is.Zero, "the room no longer sends to the mirror");
        await LeaveAsync(alice, room, "alice");
    }

    [Test]
    public async Task Prosodys_room_never_sees_a_mirror_users_real_jid()
    {
        var alice = await AliceAsync();
        var room = await CreateRoomAsync(Service(ProsodyMuc), "private");
        var proxy = ProxyOf(room);
        var user = (await BetaUsersAsync(1))[0];
        var mark = Link.Mark();
        await EnterAsync(user, proxy, Nick(0));

        var seen = await alice.WaitForAsync(e => e.Name.LocalName == "presence" && e.Attribute("from")?.Value == room.WithResource(Nick(0)).ToString(), Delivery);
        Assert.That(seen.Descendants(XName.Get("fmuc", FmucNs)), Is.Empty, seen.ToString());
        Assert.That(seen.ToString(), Does.Not.Contain(user.Jid.ToString()), "the owner sees the proxy session, not the user behind it");
        var join = Link.Crossed(Beta, Alpha, mark).Single(c => c.Name == "presence" && c.To == room.WithResource(Nick(0)).ToString());
        Assert.That(join.Element.Element(XName.Get("fmuc", FmucNs)), Is.Null, "the mirror learnt from disco#info that this is a plain MUC");
        await LeaveAllAsync(room, proxy, [user]);
    }

    // ---- helpers ----

    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private static Jid? FromBare(XElement e) => Jid.TryParse((string?)e.Attribute("from"), out var from) ? from.Bare : null;

    private static XElement JoinPresence(Jid occupant) =>
        new(Ns.Client + "presence", new XAttribute("to", occupant.ToString()),
            new XElement(Ns.Muc + "x", new XElement(Ns.Muc + "history", new XAttribute("maxstanzas", "0"))));

    private static IEnumerable<string> Codes(XElement e) =>
        e.Elements(Ns.MucUser + "x").Elements(Ns.MucUser + "status").Select(s => (string?)s.Attribute("code") ?? "");

    private Task<Jid> CreateRoomAsync(string service, string prefix, params (string Field, string Value)[] config) =>
        CreateRoomAsync(Jid.Parse($"{NewId(prefix)}@{service}"), config);

    /// <summary>alice enters <paramref name="room"/> on alpha, which creates it, and configures it (an instant room plus <paramref name="config"/>).</summary>
    private async Task<Jid> CreateRoomAsync(Jid room, params (string Field, string Value)[] config)
    {
        var alice = await AliceAsync();
        await alice.SendAsync(JoinPresence(room.WithResource("alice")));
        var self = await alice.WaitForAsync(e => e.Name.LocalName == "presence" && e.Attribute("from")?.Value == room.WithResource("alice").ToString(), Delivery);
        Assert.That(Codes(self), Does.Contain("201"), $"alice created {room}: {self}");
        var form = new XElement(Ns.DataForms + "x", new XAttribute("type", "submit"),
            new XElement(Ns.DataForms + "field", new XAttribute("var", "FORM_TYPE"),
                new XElement(Ns.DataForms + "value", "http://jabber.org/protocol/muc#roomconfig")),
            config.Select(f => new XElement(Ns.DataForms + "field", new XAttribute("var", f.Field), new XElement(Ns.DataForms + "value", f.Value))));
        var done = await alice.RequestAsync(Stanza.Iq("set", null, room, new XElement(Ns.MucOwner + "query", form)), Delivery);
        Assert.That(done.GetStanzaType(), Is.EqualTo("result"), done.ToString());
        return room;
    }

    /// <summary>Enters a room (directly or through the mirror) and waits for the subject, which ends entering.</summary>
    private static async Task EnterAsync(TestClient client, Jid roomAddress, string nick)
    {
        await client.SendAsync(JoinPresence(roomAddress.WithResource(nick)));
        var last = await client.WaitForAsync(e => FromBare(e) == roomAddress &&
            ((e.Name.LocalName == "message" && e.Element(Ns.Client + "subject") != null) || e.GetStanzaType() == "error"), Delivery);
        Assert.That(last.GetStanzaType(), Is.Not.EqualTo("error"), $"{client.Jid} could not enter {roomAddress}: {last}");
    }

    /// <summary>Leaves and waits for the room's self-unavailable (110).</summary>
    private static async Task ExitAsync(TestClient client, Jid roomAddress, string nick)
    {
        await client.SendAsync(new XElement(Ns.Client + "presence", new XAttribute("type", "unavailable"),
            new XAttribute("to", roomAddress.WithResource(nick).ToString())));
        await client.WaitForAsync(e => e.Name.LocalName == "presence" && e.GetStanzaType() == "unavailable" &&
                                       e.Attribute("from")?.Value == roomAddress.WithResource(nick).ToString() && Codes(e).Contains("110"), Delivery);
    }

    private static Task LeaveAsync(TestClient client, Jid roomAddress, string nick) => ExitAsync(client, roomAddress, nick);

    /// <summary>The beta users leave through <paramref name="roomAddress"/>, then alice leaves the room, which goes away.</summary>
    private async Task LeaveAllAsync(Jid room, Jid roomAddress, IEnumerable<TestClient> users)
    {
        var i = 0;
        foreach (var user in users) await ExitAsync(user, roomAddress, Nick(i++));
        await ExitAsync(await AliceAsync(), room, "alice");
    }

    /// <summary>Waits until no element has crossed the link for <see cref="Quiet"/>, so a window opened next holds only what the test causes.</summary>
    private async Task WaitQuietAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var last = Link.Mark().Sequence;
        var since = DateTime.UtcNow;
        while (DateTime.UtcNow - since < Quiet)
        {
            await Task.Delay(100);
            var now = Link.Mark().Sequence;
            if (now != last)
            {
                last = now;
                since = DateTime.UtcNow;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the link never went quiet:\n" + Link.Traffic.Describe());
        }
    }

    /// <summary>
    /// Every client receives each of <paramref name="ids"/> as a groupchat message exactly once: it
    /// waits for them all, lets the link go quiet, and then looks for duplicates.
    /// </summary>
    /// <param name="earlier">what a client already took from its stream that counts too</param>
    private async Task AssertEachReceivesOnceAsync(IEnumerable<TestClient> clients, IReadOnlyList<string> ids,
        IReadOnlyDictionary<TestClient, List<XElement>>? earlier = null)
    {
        var list = clients.ToList();
        List<XElement> Earlier(TestClient c) => earlier?.GetValueOrDefault(c) ?? [];
        var received = await Task.WhenAll(list.Select(c => CollectUntilAllAsync(c, ids.Except(Earlier(c).Select(e => e.GetId()!)).ToList())));
        await WaitQuietAsync();
        var late = await Task.WhenAll(list.Select(DrainAsync));
        for (var i = 0; i < list.Count; i++)
        {
            var counts = Earlier(list[i]).Concat(received[i]).Concat(late[i])
                .Where(e => e.Name.LocalName == "message" && e.GetStanzaType() == "groupchat" && e.GetId() is { } id && ids.Contains(id))
                .GroupBy(e => e.GetId()!).ToDictionary(g => g.Key, g => g.Count());
            foreach (var id in ids)
                Assert.That(counts.GetValueOrDefault(id), Is.EqualTo(1), $"{list[i].Jid} received {id} {counts.GetValueOrDefault(id)} times");
        }
    }

    private static async Task<List<XElement>> CollectUntilAllAsync(TestClient client, IReadOnlyCollection<string> ids)
    {
        var seen = new List<XElement>();
        var missing = new HashSet<string>(ids);
        if (missing.Count == 0) return seen;
        await client.WaitForAsync(e =>
        {
            seen.Add(e);
            if (e.Name.LocalName == "message" && e.GetId() is { } id) missing.Remove(id);
            return missing.Count == 0;
        }, Delivery);
        return seen;
    }

    /// <summary>Whatever the client still has to read.</summary>
    private static async Task<List<XElement>> DrainAsync(TestClient client)
    {
        var rest = new List<XElement>();
        try
        {
            while (true) rest.Add(await client.WaitForAsync(_ => true, TimeSpan.FromMilliseconds(200)));
        }
        catch (TimeoutException)
        {
        }
        return rest;
    }
}
