using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Integration;

/// <summary>
/// What one room message costs on the s2s link, with N = 1, 3, 10 and 30 users on beta, through
/// the mirror and directly, for both kinds of master. The table goes to the test output, and into
/// the file FMUC_TABLE names (see <see cref="FmucLinkCostTable"/>; docs/fmuc.md has the command).
/// </summary>
public sealed partial class FmucFederatedTests
{
    private const int RoomMessages = 5;
    private static readonly int[] UserCounts = [1, 3, 10, 30];
    private static readonly List<LinkCost> Measured = new();

    [TestCase(RoomHost, TestName = "Link cost with the room host: one copy per room message through the mirror, N directly")]
    [TestCase(ProsodyMuc, TestName = "Link cost with Prosody's MUC: N copies per room message either way, and everyone gets each once")]
    public async Task Link_cost_per_room_message(string master)
    {
        var rows = new List<LinkCost>();
        foreach (var users in UserCounts)
            foreach (var throughMirror in new[] { true, false })
            {
                var cost = await MeasureAsync(master, throughMirror, users);
                rows.Add(cost);
                var saving = master == RoomHost && throughMirror;
                Assert.That(cost.MessagesDown, Is.EqualTo(RoomMessages * (saving ? 1 : users)),
                    $"{cost}: {(saving ? "one copy per room message for all users through the mirror" : "one copy per user")}");
                Assert.That(cost.MessagesUp, Is.EqualTo(1), $"{cost}: a beta user's message crosses once");
                Assert.That(cost.EchoesDown, Is.EqualTo(saving ? 1 : users), $"{cost}: and comes back once per copy the master sends");
            }

        lock (Measured)
        {
            Measured.RemoveAll(r => r.Master == master);
            Measured.AddRange(rows);
        }
        string table;
        lock (Measured)
            table = FmucLinkCostTable.Render(Measured.OrderBy(r => r.Master == RoomHost ? 0 : 1)
                .ThenByDescending(r => r.ThroughMirror).ThenBy(r => r.Users));
        TestContext.Out.WriteLine(table);
        if (FmucLinkCostTable.WriteIfAsked(table) is { } written) TestContext.Out.WriteLine($"written to {written}");
    }

    /// <summary>A fresh room with alice on alpha and <paramref name="userCount"/> users of beta; what crosses for alice's messages and for one of theirs.</summary>
    private async Task<LinkCost> MeasureAsync(string master, bool throughMirror, int userCount)
    {
        var alice = await AliceAsync();
        var room = await CreateRoomAsync(Service(master), $"cost{userCount}{(throughMirror ? "m" : "d")}");
        var address = throughMirror ? ProxyOf(room) : room;
        var users = await BetaUsersAsync(userCount);
        var joins = Link.Mark();
        for (var i = 0; i < users.Count; i++) await EnterAsync(users[i], address, Nick(i));
        if (throughMirror)
        {
            // The mirror names the real user only to the master that speaks FMUC (it asked its disco#info).
            var upstream = Link.Crossed(Beta, Alpha, joins).Where(c => c.Name == "presence" && c.To?.StartsWith(room + "/", StringComparison.Ordinal) == true).ToList();
            Assert.That(upstream, Has.Count.EqualTo(userCount), "one join per user");
            Assert.That(upstream.Select(c => c.Element.Element(XName.Get("fmuc", FmucNs)) != null), Is.All.EqualTo(master == RoomHost));
        }
        await WaitQuietAsync();

        // alice's messages: every user on beta gets each once; count what crossed for them.
        var ids = Enumerable.Range(1, RoomMessages).Select(_ => NewId("room")).ToList();
        var window = Link.Mark();
        foreach (var id in ids) await alice.SendAsync(Stanza.Message(null, room, "groupchat", $"room message {id}", id));
        await AssertEachReceivesOnceAsync(users.Append(alice), ids);
        var down = Link.Crossed(Alpha, Beta, window).Where(c => c.Name == "message").ToList();
        var bytesDown = Link.Bytes(Alpha, Beta, window);
        Assert.That(down.Where(c => !ids.Contains(c.Id ?? "")), Is.Empty, "the window held only the room messages");

        // One message from a beta user.
        var fromBeta = NewId("beta");
        var up = Link.Mark();
        await users[0].SendAsync(Stanza.Message(null, address, "groupchat", "from beta", fromBeta));
        await AssertEachReceivesOnceAsync(users.Append(alice), [fromBeta]);
        var messagesUp = Link.Count(Beta, Alpha, c => c.Name == "message" && c.Id == fromBeta, up);
        var echoesDown = Link.Count(Alpha, Beta, c => c.Name == "message" && c.Id == fromBeta, up);

        await LeaveAllAsync(room, address, users);
        return new LinkCost(master, throughMirror, userCount, RoomMessages, down.Count, bytesDown, messagesUp, echoesDown);
    }
}
