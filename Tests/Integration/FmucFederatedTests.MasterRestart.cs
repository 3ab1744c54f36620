using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Integration;

/// <summary>The room host (the master) killed and started again on its storage: the mirror's users, forgotten by it, are brought back unseen when they speak.</summary>
public sealed partial class FmucFederatedTests
{
    [TestCase(false, TestName = "Room host killed and restarted: each mirror user's next message brings a silent rejoin and goes once")]
    [TestCase(true, TestName = "Room host killed and restarted: a mirror user's self-ping (XEP-0410) brings a silent rejoin and a result")]
    public async Task A_master_restart_is_recovered_unseen_by_the_mirrors_users(bool selfPingFirst)
    {
        var alice = await AliceAsync();
        var room = await CreateRoomAsync(Service(RoomHost), "master-restart", ("muc#roomconfig_persistentroom", "1"));
        var proxy = ProxyOf(room);
        var users = await BetaUsersAsync(2);
        for (var i = 0; i < users.Count; i++) await EnterAsync(users[i], proxy, Nick(i));
        await WaitQuietAsync();
        foreach (var user in users) await DrainAsync(user);

        var roomHost = Alpha.Programs.Last(p => p.Name == "mix" && !p.Process.HasExited);
        roomHost.Process.Kill(); // SIGKILL: the room is on disk, its occupants were in memory only
        await roomHost.Process.WaitForExitAsync(Delivery);
        await Alpha.StartAgainAsync(roomHost);
        // alice's client is on alpha and was forgotten as well: she enters again, as her client would.
        await EnterAsync(alice, room, "alice");
        await WaitQuietAsync();
        await DrainAsync(alice);
        var mirror = Beta.Programs.Last(p => p.Name == "mirror" && !p.Process.HasExited);
        const string forgot = "the master restarted?"; // event 4013, once per session rejoined
        var forgotBefore = mirror.Process.OutputCount(forgot);

        var seen = users.ToDictionary(u => u, _ => new List<XElement>());
        if (selfPingFirst)
        {
            // Relayed upstream, refused (not-acceptable), rejoined silently, asked again: the client hears only the result.
            var pong = await users[0].RequestAsync(Stanza.Iq("get", null, proxy.WithResource(Nick(0)), new XElement(Ns.Ping + "ping")), Delivery);
            Assert.That(pong.GetStanzaType(), Is.EqualTo("result"), pong.ToString());
            Assert.That(await mirror.Process.WaitForOutputCountAsync(forgot, forgotBefore + 1, Delivery), Is.True, mirror.Process.Output);
        }

        // The first beta user speaks: refused upstream (unless the self-ping brought it back), rejoined silently, sent again once.
        var fromFirst = NewId("first");
        await users[0].SendAsync(Stanza.Message(null, proxy, "groupchat", "anyone there?", fromFirst));
        seen[alice] = await CollectUntilAllAsync(alice, [fromFirst]);
        foreach (var user in users) seen[user].AddRange(await CollectUntilAllAsync(user, [fromFirst]));

        // Alice's next message reaches both, and the second beta user's message (refused, rejoined, sent again) reaches everyone.
        var fromAlice = NewId("alice");
        await alice.SendAsync(Stanza.Message(null, room, "groupchat", "welcome back", fromAlice));
        foreach (var user in users) seen[user].AddRange(await CollectUntilAllAsync(user, [fromAlice]));
        var fromSecond = NewId("second");
        await users[1].SendAsync(Stanza.Message(null, proxy, "groupchat", "me too", fromSecond));
        await AssertEachReceivesOnceAsync(users.Append(alice), [fromFirst, fromAlice, fromSecond], seen);
        Assert.That(mirror.Process.OutputCount(forgot), Is.EqualTo(forgotBefore + users.Count), "one silent rejoin per session:\n" + mirror.Process.Output);

        foreach (var user in users)
        {
            var stanzas = seen[user];
            Assert.That(stanzas.Where(e => e.GetStanzaType() == "error"), Is.Empty, $"{user.Jid} got no error");
            Assert.That(stanzas.Where(e => e.Element(Ns.Client + "subject") != null), Is.Empty, $"{user.Jid} never left: no subject again");
            Assert.That(stanzas.Where(e => e.Name.LocalName == "presence" && Codes(e).Contains("110")), Is.Empty, $"{user.Jid} saw no self-presence of the rejoin");
            Assert.That(stanzas.Where(e => e.Name.LocalName == "presence" && e.GetStanzaType() == "unavailable"), Is.Empty, $"{user.Jid} saw nobody leave");
        }
        await LeaveAllAsync(room, proxy, users);
    }
}
