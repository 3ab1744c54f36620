using System.Xml.Linq;
using XmppGroupChat.DmucReplica.Dmuc;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Dmuc;

/// <summary>Restart (wire contract 8): the replica restores its rooms from its archive and registers again.</summary>
[TestFixture]
public sealed class ReplicaRestartTests : ReplicaTestBase
{
    [Test]
    public async Task A_restarted_replica_restores_its_rooms_and_registers_again_with_since_and_its_sessions()
    {
        await TroyInTheRoomAsync();
        await WizInTheRoomAsync();
        await H.SendAsync(Broadcast("Wumpus", "before the restart", "p2", "1990-10-14T00:00:00Z"));
        await H.SendAsync($"<message from='{Troy}' to='{R}' type='groupchat' id='t1'><body>unconfirmed</body><origin-id xmlns='urn:xmpp:sid:0' id='u1'/></message>");
        await H.SettleAsync();

        H = await H.RestartAsync();
        var room = H.Replica.Rooms.All.Single();
        Assert.That(room.Sessions.Keys.Select(k => k.ToString()), Is.EquivalentTo(new[] { Troy, Wiz }));
        Assert.That(room.Roster.Keys, Is.EquivalentTo(new[] { "Wumpus", "Troy", "WiZ" }));
        Assert.That(room.LastId, Is.EqualTo("p2"));
        Assert.That(room.Subject!.Element(Ns.Component + "subject")!.Value, Is.EqualTo("The battle of wallops"));
        Assert.That(room.Pending.Single().OriginId, Is.EqualTo("u1"));

        await H.TickAsync();
        var replicate = await H.NextRequestAsync();
        Golden($"<iq type='set' from='{R}' to='{Primary}'><replicate xmlns='{D}' keepalive='30' history='50' since='p2'>" +
               $"<roster><user jid='{Troy}' nick='Troy' sid='{H.Sid(Troy)}'/><user jid='{Wiz}' nick='WiZ' sid='{H.Sid(Wiz)}'/></roster>" +
               "</replicate></iq>", replicate.Iq);
        await AnswerReplicateAsync(replicate, [Occupant("Wumpus", "owner", "moderator"), Occupant("Troy"), Occupant("WiZ")], Subject("The battle of wallops"), [], null);
        var resubmitted = await H.WaitForAsync(e => To(e, Primary));
        Assert.That((string?)resubmitted.Element(Ns.StanzaId + "origin-id")!.Attribute("id"), Is.EqualTo("u1"), "nothing accepted from a user is lost in a restart");
        await H.SettleAsync();
        Assert.That(H.Replica.Rooms.All.Single().Link, Is.EqualTo(PrimaryLink.Live));

        await H.SendAsync(Broadcast("Wumpus", "after the restart", "p3", "1990-10-14T00:05:00Z"));
        Assert.That((await H.SettleAsync()).Select(e => (string?)e.Attribute("to")), Is.EquivalentTo(new[] { Troy, Wiz }));
    }

    [Test]
    public async Task A_user_entering_after_a_restart_gets_the_history_kept_across_it()
    {
        await TroyInTheRoomAsync();
        H = await H.RestartAsync();
        await H.TickAsync();
        var replicate = await H.NextRequestAsync();
        await AnswerReplicateAsync(replicate, [Occupant("Wumpus", "owner", "moderator"), Occupant("Troy")], Subject("The battle of wallops"), [], null);
        await H.SettleAsync();
        await EnterAsync(Wiz, "WiZ");
        await H.WaitForAsync(e => To(e, $"{Primary}/WiZ"));
        await AdmitAsync(Wiz, "WiZ");
        var history = await H.WaitForAsync(e => To(e, Wiz) && e.Element(Ns.Component + "body") != null);
        Assert.That(history.Element(Ns.Component + "body")!.Value, Is.EqualTo("Honest! He did!!"));
        Assert.That((string?)history.Element(Ns.Delay + "delay")!.Attribute("stamp"), Is.EqualTo("1990-01-23T19:50:01Z"));
    }
}
