using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Integration;

/// <summary>The mirror killed (SIGKILL) and started again on its storage, with the room host as master: nobody behind it leaves the room.</summary>
public sealed partial class FmucFederatedTests
{
    [TestCase(false, TestName = "Mirror killed and restarted: the room host still has its users, who go on without rejoining")]
    [TestCase(true, TestName = "Mirror killed while the room spoke: the room host dropped its users, the mirror rejoins them unseen")]
    public async Task A_mirror_restart_loses_no_participant(bool roomSpokeMeanwhile)
    {
        var alice = await AliceAsync();
        var room = await CreateRoomAsync(Service(RoomHost), roomSpokeMeanwhile ? "kept-spoke" : "kept-quiet");
        var proxy = ProxyOf(room);
        var users = await BetaUsersAsync(2);
        for (var i = 0; i < users.Count; i++) await EnterAsync(users[i], proxy, Nick(i));
        await WaitQuietAsync();
        foreach (var user in users) await DrainAsync(user);
        await DrainAsync(alice);

        var mirror = Beta.Programs.Last(p => p.Name == "mirror" && !p.Process.HasExited);
        mirror.Process.Kill();
        if (roomSpokeMeanwhile)
        {
            // beta bounces the room's copy for the absent mirror, and the room host drops everyone behind it.
            await alice.SendAsync(Stanza.Message(null, room, "groupchat", "while the mirror was down", NewId("down")));
            for (var i = 0; i < users.Count; i++)
                await alice.WaitForAsync(e => IsPresenceOf(e, room, Nick(i)) && e.GetStanzaType() == "unavailable", Delivery);
        }
        var again = await Beta.StartAgainAsync(mirror);
        Assert.That(await again.Process.WaitForOutputAsync("local session(s); each session's presence goes upstream again", Delivery), Is.True, again.Process.Output);

        // Each session's status went upstream again (or it entered again): alice sees both in the room.
        for (var i = 0; i < users.Count; i++)
            await alice.WaitForAsync(e => IsPresenceOf(e, room, Nick(i)) && e.GetStanzaType() is null, Delivery);
        if (roomSpokeMeanwhile)
            Assert.That(await again.Process.WaitForOutputAsync("joined again for it", Delivery), Is.True, again.Process.Output);
        await WaitQuietAsync();

        var fromAlice = NewId("after");
        await alice.SendAsync(Stanza.Message(null, room, "groupchat", "after the restart", fromAlice));
        var seen = new Dictionary<Infrastructure.TestClient, List<XElement>>();
        foreach (var user in users) seen[user] = await CollectUntilAllAsync(user, [fromAlice]);
        var fromUser = NewId("back");
        await users[0].SendAsync(Stanza.Message(null, proxy, "groupchat", "still here", fromUser));
        await AssertEachReceivesOnceAsync(users.Append(alice), [fromAlice, fromUser], seen);

        foreach (var (user, stanzas) in seen)
        {
            Assert.That(stanzas.Where(e => e.Element(Ns.Client + "subject") != null), Is.Empty, $"{user.Jid} never left: no subject again");
            Assert.That(stanzas.Where(e => e.Name.LocalName == "presence" && e.GetStanzaType() == "unavailable"), Is.Empty, $"{user.Jid} saw nobody leave");
        }
        await LeaveAllAsync(room, proxy, users);
    }

    private static bool IsPresenceOf(XElement e, Jid room, string nick) =>
        e.Name.LocalName == "presence" && e.Attribute("from")?.Value == room.WithResource(nick).ToString();
}
