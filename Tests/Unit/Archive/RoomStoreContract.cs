using static XmppGroupChat.Tests.Unit.Archive.ArchiveSamples;
using XmppGroupChat.Tests.Unit.Archive.Engines;
using XmppGroupChat.Archive;

namespace XmppGroupChat.Tests.Unit.Archive;

/// <summary>The room store: rooms, participants, registered nicks and their uniqueness.</summary>

public sealed class RoomStoreContract(EngineUnderTest engine) : ArchiveContractTests(engine)
{
    internal static RoomRecord RoomRecord(string jid = Room, string? subject = "Welcome", params ParticipantRecord[] participants) => new(
        jid,
        DateTimeOffset.FromUnixTimeMilliseconds(1_763_700_000_123),
        new Dictionary<string, IReadOnlyList<string>>
        {
            ["muc#roomconfig_roomname"] = ["The room"],
            ["muc#roomconfig_whois"] = ["anyone"],
            ["mix#owners"] = ["owner@test", "second@test"],
            ["empty"] = [],
        },
        new Dictionary<string, string> { ["owner@test"] = "owner", ["banned@test"] = "outcast" },
        subject,
        participants);

    internal static ParticipantRecord Participant(string id, string jid, string? nick = null, long joinedMs = 1_763_700_100_000) =>
        new(id, jid, nick ?? jid.Split('@')[0], ["urn:xmpp:mix:nodes:messages", "urn:xmpp:mix:nodes:presence"],
            DateTimeOffset.FromUnixTimeMilliseconds(joinedMs));

    internal static void AssertSame(RoomRecord expected, RoomRecord actual)
    {
        Assert.That(actual.Jid, Is.EqualTo(expected.Jid));
        Assert.That(actual.Created, Is.EqualTo(expected.Created));
        Assert.That(actual.Subject, Is.EqualTo(expected.Subject));
        Assert.That(actual.Config.Keys, Is.EquivalentTo(expected.Config.Keys));
        foreach (var (var, values) in expected.Config)
            Assert.That(actual.Config[var], Is.EqualTo(values), var);
        Assert.That(actual.Affiliations, Is.EquivalentTo(expected.Affiliations));
        Assert.That(actual.Participants, Has.Count.EqualTo(expected.Participants.Count));
        for (var i = 0; i < expected.Participants.Count; i++)
        {
            var (e, a) = (expected.Participants[i], actual.Participants[i]);
            Assert.That((a.Id, a.BareJid, a.Nick, a.Joined, a.Dialect, a.ViaServer), Is.EqualTo((e.Id, e.BareJid, e.Nick, e.Joined, e.Dialect, e.ViaServer)));
            Assert.That(a.Subscriptions, Is.EqualTo(e.Subscriptions));
        }
    }

    [Test]
    public async Task A_room_with_its_participants_is_loaded_as_saved()
    {
        var store = await OpenAsync();
        var p1 = Participant("p1", "alice@test", joinedMs: 1_763_700_100_000);
        var p2 = Participant("p2", "bob@test", nick: null, joinedMs: 1_763_700_200_000) with
        {
            Nick = null, Subscriptions = [], Dialect = "urn:xmpp:mix:0", ViaServer = true,
        };
        var room = RoomRecord(participants: [p1, p2]);
        await store.SaveRoomAsync(room);
        await store.SaveParticipantAsync(Room, p2);
        await store.SaveParticipantAsync(Room, p1);
        await store.SaveRoomAsync(RoomRecord(OtherRoom, subject: null));

        var rooms = await store.LoadRoomsAsync();
        Assert.That(rooms.Select(r => r.Jid), Is.EquivalentTo(new[] { Room, OtherRoom }));
        AssertSame(room, rooms.Single(r => r.Jid == Room));
        AssertSame(RoomRecord(OtherRoom, subject: null), rooms.Single(r => r.Jid == OtherRoom));
    }

    [Test]
    public async Task A_participants_dialect_is_kept()
    {
        var store = await OpenAsync();
        await store.SaveRoomAsync(RoomRecord());
        var seed = Participant("p1", "alice@test") with { Dialect = "urn:xmpp:mix:0" };
        var core0 = Participant("p2", "bob@test", joinedMs: 1_763_700_200_000) with { Dialect = "urn:xmpp:mix:core:0" };
        await store.SaveParticipantAsync(Room, seed);
        await store.SaveParticipantAsync(Room, core0);
        await store.DisposeAsync();

        var loaded = (await (await OpenAsync()).LoadRoomsAsync()).Single().Participants;
        Assert.That(loaded.Select(p => p.Dialect), Is.EqualTo(new[] { "urn:xmpp:mix:0", "urn:xmpp:mix:core:0" }));
    }

    [Test]
    public async Task Saving_a_room_again_replaces_its_row_and_keeps_its_participants()
    {
        var store = await OpenAsync();
        await store.SaveRoomAsync(RoomRecord());
        await store.SaveParticipantAsync(Room, Participant("p1", "alice@test"));
        var changed = RoomRecord(subject: "New topic") with
        {
            Config = new Dictionary<string, IReadOnlyList<string>> { ["muc#roomconfig_roomname"] = ["Renamed"] },
            Affiliations = new Dictionary<string, string> { ["alice@test"] = "admin" },
        };
        await store.SaveRoomAsync(changed);

        var loaded = (await store.LoadRoomsAsync()).Single();
        AssertSame(changed with { Participants = [Participant("p1", "alice@test")] }, loaded);
    }

    [Test]
    public async Task Participants_are_replaced_and_deleted_one_by_one_and_go_with_their_room()
    {
        var store = await OpenAsync();
        await store.SaveRoomAsync(RoomRecord());
        await store.SaveParticipantAsync(Room, Participant("p1", "alice@test"));
        await store.SaveParticipantAsync(Room, Participant("p2", "bob@test", joinedMs: 1_763_700_300_000));
        await store.SaveParticipantAsync(Room, Participant("p1", "alice@test", nick: "Alice2") with { Subscriptions = ["urn:xmpp:mix:nodes:messages"] });

        var participants = (await store.LoadRoomsAsync()).Single().Participants;
        Assert.That(participants.Select(p => (p.Id, p.Nick)), Is.EqualTo(new[] { ("p1", "Alice2"), ("p2", "bob") }));
        Assert.That(participants[0].Subscriptions, Is.EqualTo(new[] { "urn:xmpp:mix:nodes:messages" }));

        await store.DeleteParticipantAsync(Room, "p1");
        await store.DeleteParticipantAsync(Room, "never-there");
        Assert.That((await store.LoadRoomsAsync()).Single().Participants.Select(p => p.Id), Is.EqualTo(new[] { "p2" }));

        await store.DeleteRoomAsync(Room);
        Assert.That(await store.LoadRoomsAsync(), Is.Empty);
        // Re-creating the room does not bring the old participants back.
        await store.SaveRoomAsync(RoomRecord());
        Assert.That((await store.LoadRoomsAsync()).Single().Participants, Is.Empty);
    }

    [Test]
    public async Task A_participant_of_a_room_never_saved_is_refused()
    {
        var store = await OpenAsync();
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => store.SaveParticipantAsync(Room, Participant("p1", "alice@test")));
        Assert.That(error!.Message, Does.Contain(Room));
        Assert.That(await store.LoadRoomsAsync(), Is.Empty);
    }

    [Test]
    public async Task Nicks_are_registered_changed_and_removed()
    {
        var store = await OpenAsync();
        await store.SaveRegisteredNickAsync("alice@test", "Alice");
        await store.SaveRegisteredNickAsync("bob@test", "Bob");
        await store.SaveRegisteredNickAsync("alice@test", "Alicia");
        await store.SaveRegisteredNickAsync("bob@test", null);
        await store.SaveRegisteredNickAsync("nobody@test", null);

        Assert.That(await store.LoadRegisteredNicksAsync(), Is.EquivalentTo(new Dictionary<string, string> { ["alice@test"] = "Alicia" }));
    }

    [Test]
    public async Task A_nick_taken_by_another_jid_is_refused_whatever_its_case()
    {
        var store = await OpenAsync();
        await store.SaveRegisteredNickAsync("alice@test", "Alice");
        await store.SaveRegisteredNickAsync("zoe@test", "Ärger");

        foreach (var nick in new[] { "Alice", "alice", "ALICE", "ärger", "ÄRGER" })
        {
            var error = Assert.ThrowsAsync<NickTakenException>(() => store.SaveRegisteredNickAsync("bob@test", nick), nick);
            Assert.That(error!.Nick, Is.EqualTo(nick));
            Assert.That(error, Is.InstanceOf<InvalidOperationException>());
        }
        Assert.That(await store.LoadRegisteredNicksAsync(), Has.Count.EqualTo(2));

        // The owner may change its own nick's case, and once it moves on the nick is free.
        await store.SaveRegisteredNickAsync("alice@test", "ALICE");
        await store.SaveRegisteredNickAsync("alice@test", "Alicia");
        await store.SaveRegisteredNickAsync("bob@test", "alice");
        Assert.That(await store.LoadRegisteredNicksAsync(), Is.EquivalentTo(new Dictionary<string, string>
        {
            ["alice@test"] = "Alicia", ["bob@test"] = "alice", ["zoe@test"] = "Ärger",
        }));
    }

    [Test]
    public async Task An_empty_nick_is_refused()
    {
        var store = await OpenAsync();
        Assert.That(() => store.SaveRegisteredNickAsync("alice@test", " "), Throws.InstanceOf<ArgumentException>());
    }
}
