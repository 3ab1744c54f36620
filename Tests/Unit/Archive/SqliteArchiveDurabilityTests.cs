using System.Xml.Linq;
using XmppGroupChat.Archive;

namespace XmppGroupChat.Tests.Unit.Archive;

/// <summary>
/// What survives: a clean close and reopen, and a crash (the process dies without closing: simulated
/// by opening the file again while the first archive is still open, and by copying the database and
/// its WAL as they are, which is what a kill -9 leaves on disk).
/// </summary>
[TestFixture]
public sealed class SqliteArchiveDurabilityTests : ArchiveTestBase
{
    private static async Task<(List<ArchivedMessage> Messages, RoomRecord Room)> WriteEverythingAsync(SqliteArchive archive)
    {
        var room = SqliteRoomStoreTests.RoomRecord(participants:
        [
            SqliteRoomStoreTests.Participant("p1", "alice@test"),
            SqliteRoomStoreTests.Participant("p2", "bob@test", joinedMs: 1_763_700_200_000),
        ]);
        await archive.SaveRoomAsync(room);
        foreach (var participant in room.Participants)
            await archive.SaveParticipantAsync(Room, participant);
        await archive.SaveRegisteredNickAsync("alice@test", "Alice");
        await archive.SaveRegisteredNickAsync("bob@test", "Bob");
        // Concurrent appends, every one awaited: all acknowledged.
        var messages = (await Task.WhenAll(Enumerable.Range(0, 300)
            .Select(i => archive.AppendAsync(Room, Draft(i, i % 2 == 0 ? "alice@test" : "bob@test")).AsTask()))).ToList();
        await archive.RetractAsync(Room, messages[7].Id);
        return (messages, room);
    }

    private static async Task AssertEverythingAsync(SqliteArchive archive, List<ArchivedMessage> messages, RoomRecord room)
    {
        SqliteRoomStoreTests.AssertSame(room, (await archive.LoadRoomsAsync()).Single());
        Assert.That(await archive.LoadRegisteredNicksAsync(), Is.EquivalentTo(new Dictionary<string, string>
        {
            ["alice@test"] = "Alice", ["bob@test"] = "Bob",
        }));
        var stored = await ReadAllAsync(archive, Room);
        Assert.That(stored.Select(m => m.Id), Is.EquivalentTo(messages.Select(m => m.Id)));
        var byId = messages.ToDictionary(m => m.Id);
        foreach (var message in stored)
        {
            var acked = byId[message.Id];
            Assert.That(message.Stamp, Is.EqualTo(acked.Stamp));
            Assert.That(message.SenderBareJid, Is.EqualTo(acked.SenderBareJid));
            Assert.That(message.Retracted, Is.EqualTo(message.Id == messages[7].Id));
            if (!message.Retracted)
                Assert.That(XNode.DeepEquals(message.Stanza, acked.Stanza), Is.True);
        }
    }

    [Test]
    public async Task Everything_is_there_after_close_and_reopen_and_the_archive_carries_on()
    {
        var first = await OpenAsync();
        var (messages, room) = await WriteEverythingAsync(first);
        await first.DisposeAsync();
        Assert.That(File.Exists(DbPath + "-wal"), Is.False, "closing checkpoints and removes the WAL");

        var second = await OpenAsync();
        await AssertEverythingAsync(second, messages, room);

        // Positions and stamps continue from the file.
        var next = await second.AppendAsync(Room, Draft(1000));
        var page = await second.QueryAsync(Room, new ArchiveQuery(Before: "", Max: 1));
        Assert.That(page.Messages.Single().Id, Is.EqualTo(next.Id));
        Assert.That(page.Count, Is.EqualTo(301));
        Assert.That(page.FirstIndex, Is.EqualTo(300));
        Assert.That(next.Stamp, Is.GreaterThanOrEqualTo(messages.Max(m => m.Stamp)));
    }

    [Test]
    public async Task A_second_open_of_a_file_still_open_sees_every_acknowledged_write()
    {
        var first = await OpenAsync();
        var (messages, room) = await WriteEverythingAsync(first);

        // No dispose of the first: as if its process had died right after the acknowledgements.
        var second = await OpenAsync();
        await AssertEverythingAsync(second, messages, room);
    }

    [Test]
    public async Task A_copy_of_the_database_and_its_wal_taken_while_open_holds_every_acknowledged_write()
    {
        var first = await OpenAsync();
        var (messages, room) = await WriteEverythingAsync(first);
        Assert.That(File.Exists(DbPath + "-wal"), Is.True);

        // What kill -9 leaves on disk: the main file and the WAL as they are (the -shm index is
        // rebuilt from the WAL by the next opener, so it is not copied).
        var crashed = Path.Combine(Directory, "crashed");
        System.IO.Directory.CreateDirectory(crashed);
        var copy = Path.Combine(crashed, "archive.db");
        File.Copy(DbPath, copy);
        File.Copy(DbPath + "-wal", copy + "-wal");

        var recovered = await OpenAsync(copy);
        await AssertEverythingAsync(recovered, messages, room);
    }

    [Test]
    public async Task Two_archives_writing_one_file_keep_positions_dense_and_stamps_ordered()
    {
        // Not a supported set-up, but a second writer (a mistaken second instance) must not corrupt
        // counts: the writer notices foreign commits (data_version) and reloads what it cached.
        var first = await OpenAsync();
        var second = await OpenAsync();
        var ids = new List<string>();
        foreach (var (archive, n) in new[] { (first, 3), (second, 2), (first, 2), (second, 1) })
            ids.AddRange(Ids(await AppendSequentiallyAsync(archive, Room, n)));

        foreach (var archive in new[] { first, second })
        {
            var page = await archive.QueryAsync(Room, new ArchiveQuery(After: ids[3], Max: 2));
            Assert.That(Ids(page.Messages), Is.EqualTo(ids.Skip(4).Take(2)));
            Assert.That(page.Count, Is.EqualTo(8));
            Assert.That(page.FirstIndex, Is.EqualTo(4));
            Assert.That((await ReadAllAsync(archive, Room)).Select(m => m.Stamp), Is.Ordered);
        }
    }

    [Test]
    public async Task The_schema_version_is_recorded_and_a_newer_one_is_refused()
    {
        var archive = await OpenAsync();
        await archive.DisposeAsync();
        using (var raw = RawConnection(DbPath))
        {
            using var command = raw.CreateCommand();
            command.CommandText = "PRAGMA user_version";
            Assert.That(command.ExecuteScalar(), Is.EqualTo(3L));
            command.CommandText = "PRAGMA journal_mode";
            Assert.That(command.ExecuteScalar(), Is.EqualTo("wal"));
            command.CommandText = "PRAGMA user_version = 99";
            command.ExecuteNonQuery();
        }
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => OpenAsync());
        Assert.That(error!.Message, Does.Contain("99"));
    }

    [Test]
    public async Task Opening_creates_missing_directories()
    {
        var archive = await OpenAsync(Path.Combine(Directory, "a", "b", "archive.db"));
        await archive.AppendAsync(Room, Draft(1));
        Assert.That(File.Exists(Path.Combine(Directory, "a", "b", "archive.db")), Is.True);
    }
}
