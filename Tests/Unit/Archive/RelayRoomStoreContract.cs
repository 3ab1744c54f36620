using static XmppGroupChat.Tests.Unit.Archive.ArchiveSamples;
using XmppGroupChat.Tests.Unit.Archive.Engines;
using System.Xml.Linq;
using XmppGroupChat.Archive;

namespace XmppGroupChat.Tests.Unit.Archive;

/// <summary>The relay room store: a relayed room's state and its keyed entries, durable and in order.</summary>

public sealed class RelayRoomStoreContract(EngineUnderTest engine) : ArchiveContractTests(engine)
{
    private const string Relayed = "room@muc.alpha.test";
    private static readonly XNamespace D = "urn:xmpp:tmp:dmuc:0";

    private static XElement State(string last) => new(D + "room", new XAttribute("last", last));

    private static RelayEntry Occupant(string nick, string show = "chat") => new("occupant", nick,
        XElement.Parse($"<presence xmlns='jabber:component:accept' from='{Relayed}/{nick}'><show>{show}</show>" +
                       "<x xmlns='http://jabber.org/protocol/muc#user'><item affiliation='none' role='participant'/></x></presence>"));

    private static RelayEntry Session(string sid, string jid) =>
        new("session", sid, new XElement(D + "user", new XAttribute("jid", jid), new XAttribute("sid", sid)));

    [Test]
    public async Task A_room_with_its_entries_is_loaded_as_saved_each_kind_in_first_saved_order()
    {
        var store = await OpenAsync();
        await store.SaveRelayRoomAsync(Relayed, State("a1"));
        await store.SaveRelayEntryAsync(Relayed, Occupant("Wumpus"));
        await store.SaveRelayEntryAsync(Relayed, Session("s1", "troy@beta.test/screwdriver"));
        await store.SaveRelayEntryAsync(Relayed, Occupant("Valdis"));
        await store.SaveRelayEntryAsync(Relayed, Occupant("Wumpus", "away")); // replaced in place
        await store.SaveRelayRoomAsync("other@muc.alpha.test", State("b1"));

        var rooms = await store.LoadRelayRoomsAsync();
        Assert.That(rooms.Select(r => r.Room), Is.EqualTo(new[] { "other@muc.alpha.test", Relayed }));
        var room = rooms.Single(r => r.Room == Relayed);
        XmlAssert.AreEqual(State("a1"), room.State);
        Assert.That(room.Entries.Select(e => (e.Kind, e.Key)),
            Is.EqualTo(new[] { ("occupant", "Wumpus"), ("session", "s1"), ("occupant", "Valdis") }));
        XmlAssert.AreEqual(Occupant("Wumpus", "away").Value, room.Entries[0].Value);
        Assert.That(rooms.Single(r => r.Room != Relayed).Entries, Is.Empty);
    }

    [Test]
    public async Task Replacing_a_kind_keeps_the_other_kinds_and_deleting_the_room_takes_its_entries()
    {
        var store = await OpenAsync();
        await store.SaveRelayRoomAsync(Relayed, State("a1"));
        await store.SaveRelayEntryAsync(Relayed, Occupant("Wumpus"));
        await store.SaveRelayEntryAsync(Relayed, Session("s1", "troy@beta.test/screwdriver"));
        await store.ReplaceRelayEntriesAsync(Relayed, "occupant", [Occupant("Phaedrus"), Occupant("Valdis")]);
        await store.DeleteRelayEntryAsync(Relayed, "occupant", "Valdis");
        await store.DeleteRelayEntryAsync(Relayed, "occupant", "nobody");

        var room = (await store.LoadRelayRoomsAsync()).Single();
        Assert.That(room.Entries.Select(e => (e.Kind, e.Key)), Is.EqualTo(new[] { ("session", "s1"), ("occupant", "Phaedrus") }));

        await store.DeleteRelayRoomAsync(Relayed);
        Assert.That(await store.LoadRelayRoomsAsync(), Is.Empty);
        await store.SaveRelayRoomAsync(Relayed, State("a2"));
        Assert.That((await store.LoadRelayRoomsAsync()).Single().Entries, Is.Empty, "entries went with the room");
    }

    [Test]
    public async Task An_entry_of_a_room_never_saved_is_refused()
    {
        var store = await OpenAsync();
        Assert.ThrowsAsync<InvalidOperationException>(() => store.SaveRelayEntryAsync(Relayed, Occupant("Wumpus")));
        Assert.ThrowsAsync<InvalidOperationException>(() => store.ReplaceRelayEntriesAsync(Relayed, "occupant", [Occupant("Wumpus")]));
    }

    [Test]
    public async Task What_was_acknowledged_survives_reopening()
    {
        var store = await OpenAsync();
        await store.SaveRelayRoomAsync(Relayed, State("a1"));
        await store.SaveRelayEntryAsync(Relayed, Session("s1", "troy@beta.test/screwdriver"));
        await store.DisposeAsync();

        var again = await OpenAsync();
        var room = (await again.LoadRelayRoomsAsync()).Single();
        Assert.That((string?)room.State.Attribute("last"), Is.EqualTo("a1"));
        Assert.That((string?)room.Entries.Single().Value.Attribute("jid"), Is.EqualTo("troy@beta.test/screwdriver"));
    }
}
