using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Mix;

/// <summary>
/// A temporary room goes away with its last occupant while a MIX join for it arrives on the other
/// link (issue 10, item 4): the join either succeeds and keeps the room, or is refused with
/// item-not-found; never internal-server-error, and nothing half-saved remains.
/// </summary>
[TestFixture]
public sealed class RoomRemovalRaceTests
{
    private const string MucNs = "http://jabber.org/protocol/muc";
    private const string Core = "urn:xmpp:mix:core:1";

    [Test]
    public async Task A_mix_join_racing_the_last_occupants_exit_is_kept_or_refused_cleanly()
    {
        await using var h = await RoomHostHarness.StartAsync();
        for (var i = 0; i < 150; i++)
        {
            var room = $"tmp{i}";
            await h.SendAsync($"<presence from='owner@test/a' to='{room}@muc.test/boss'><x xmlns='{MucNs}'/></presence>");
            await h.WaitForAsync(e => (string?)e.Attribute("from") == $"{room}@muc.test/boss" && e.Name.LocalName == "presence");
            var unlocked = await h.IqAsync($"<iq type='set' id='cfg{i}' from='owner@test/a' to='{room}@muc.test'><query xmlns='http://jabber.org/protocol/muc#owner'>" +
                                           "<x xmlns='jabber:x:data' type='submit'/></query></iq>");
            Assert.That(unlocked.GetStanzaType(), Is.EqualTo("result"), unlocked.ToString());

            // The two links dispatch at the same time, as two read loops would.
            var leave = Task.Run(() => h.SendAsync($"<presence type='unavailable' from='owner@test/a' to='{room}@muc.test/boss'/>"));
            var join = Task.Run(() => h.SendAsync($"<iq type='set' id='join{i}' from='hag66@test/pda' to='{room}@mix.test'>" +
                                                  $"<join xmlns='{Core}'><nick>hag</nick><subscribe node='urn:xmpp:mix:nodes:messages'/></join></iq>"));
            await Task.WhenAll(leave, join);
            var answer = await h.WaitForAsync(e => e.GetId() == $"join{i}");

            var stored = (await h.Archive.LoadRoomsAsync()).SingleOrDefault(r => r.Jid == $"{room}@mix.test");
            if (answer.GetStanzaType() == "result")
            {
                Assert.That(h.Rooms.Find(Jid.Parse($"{room}@mix.test")), Is.Not.Null, $"try {i}: the joined room is kept");
                Assert.That(stored?.Participants.Select(p => p.BareJid), Is.EqualTo(new[] { "hag66@test" }), $"try {i}: the participant is stored");
            }
            else
            {
                Assert.That(StanzaError.FromStanza(answer)!.Condition, Is.EqualTo(StanzaErrorCondition.ItemNotFound), $"try {i}: {answer}");
                Assert.That(stored, Is.Null, $"try {i}: nothing of the removed room remains");
            }
            h.TakeSent();
        }
    }
}
