using System.Xml.Linq;
using Microsoft.Extensions.Logging.Abstractions;
using XmppGroupChat.Archive;
using XmppGroupChat.Tests.Unit.Archive.Engines;
using static XmppGroupChat.Tests.Unit.Archive.ArchiveSamples;

namespace XmppGroupChat.Tests.Unit.Archive;

/// <summary>
/// migrate-archive's copier (<see cref="ArchiveCopier"/>), between the engine under test and SQLite
/// in both directions: everything comes over as it was, an interrupted copy resumes without doubles,
/// and a target that is not an earlier copy of the source is refused.
/// </summary>
public sealed class ArchiveCopierContract(EngineUnderTest engine) : ArchiveContractTests(engine)
{
    private static readonly XNamespace D = "urn:xmpp:tmp:dmuc:0";

    private async Task<IArchiveStore> OpenSqliteAsync(string name) =>
        await SqliteArchive.OpenAsync(Path.Combine(Directory, name), NullLogger.Instance);

    private static async Task<List<ArchivedMessage>> FillAsync(IArchiveStore archive)
    {
        await archive.SaveRoomAsync(RoomStoreContract.RoomRecord(participants: []));
        await archive.SaveParticipantAsync(Room, RoomStoreContract.Participant("p1", "alice@test") with { Dialect = "urn:xmpp:mix:0" });
        await archive.SaveRegisteredNickAsync("alice@test", "Alice");
        await archive.SaveRelayRoomAsync("relayed@muc.test", new XElement(D + "room", new XAttribute("last", "a1")));
        await archive.SaveRelayEntryAsync("relayed@muc.test", new RelayEntry("occupant", "Wumpus", new XElement(D + "o", "1")));
        await archive.SaveRelayEntryAsync("relayed@muc.test", new RelayEntry("session", "s1", new XElement(D + "s", "2")));
        await archive.SaveRelayEntryAsync("relayed@muc.test", new RelayEntry("occupant", "Valdis", new XElement(D + "o", "3")));
        var messages = await AppendSequentiallyAsync(archive, Room, 2500, i => i % 3 == 0 ? "bob@test" : "alice@test");
        messages.AddRange(await AppendSequentiallyAsync(archive, OtherRoom, 7));
        await archive.RetractAsync(Room, messages[10].Id);
        return messages;
    }

    private static async Task AssertSameAsync(IArchiveStore source, IArchiveStore target)
    {
        foreach (var room in new[] { Room, OtherRoom })
        {
            var expected = await ReadAllAsync(source, room);
            var copied = await ReadAllAsync(target, room);
            Assert.That(copied.Select(m => (m.Id, m.Stamp, m.SenderBareJid, m.SenderNick, m.Retracted)),
                Is.EqualTo(expected.Select(m => (m.Id, m.Stamp, m.SenderBareJid, m.SenderNick, m.Retracted))));
            for (var i = 0; i < expected.Count; i++)
                XmlAssert.AreEqual(expected[i].Stanza, copied[i].Stanza);
            var page = await target.QueryAsync(room, new ArchiveQuery(With: "bob@test", Before: "", Max: 2));
            var original = await source.QueryAsync(room, new ArchiveQuery(With: "bob@test", Before: "", Max: 2));
            Assert.That((page.Count, page.FirstIndex, Ids(page.Messages)), Is.EqualTo((original.Count, original.FirstIndex, Ids(original.Messages))));
        }
        RoomStoreContract.AssertSame((await source.LoadRoomsAsync()).Single(), (await target.LoadRoomsAsync()).Single());
        Assert.That(await target.LoadRegisteredNicksAsync(), Is.EquivalentTo(await source.LoadRegisteredNicksAsync()));
        var relayed = (await target.LoadRelayRoomsAsync()).Single();
        XmlAssert.AreEqual((await source.LoadRelayRoomsAsync()).Single().State, relayed.State);
        Assert.That(relayed.Entries.Where(e => e.Kind == "occupant").Select(e => e.Key), Is.EqualTo(new[] { "Wumpus", "Valdis" }));
    }

    [Test]
    public async Task Everything_is_copied_to_this_engine_and_back_and_verified()
    {
        await using var sqlite = await OpenSqliteAsync("source.db");
        await FillAsync(sqlite);
        var target = await OpenAsync();
        var report = await ArchiveCopier.CopyAsync(sqlite, target);
        Assert.That(report.Verified, Is.True, string.Join("; ", report.Mismatches));
        Assert.That(report.Archives, Is.EquivalentTo(new[] { (OtherRoom, 7L, 7L), (Room, 2500L, 2500L) }));
        await AssertSameAsync(sqlite, target);

        await using var back = await OpenSqliteAsync("back.db");
        Assert.That((await ArchiveCopier.CopyAsync(target, back)).Verified, Is.True);
        await AssertSameAsync(target, back);
        // The copy is a working archive: it carries on after the copied messages.
        var next = await target.AppendAsync(Room, Draft(9999));
        var last = await target.QueryAsync(Room, new ArchiveQuery(Before: "", Max: 1));
        Assert.That((last.Messages.Single().Id, last.Count, last.FirstIndex), Is.EqualTo((next.Id, 2501, 2500)));
    }

    [Test]
    public async Task A_copy_run_again_resumes_after_what_the_target_holds_without_doubles()
    {
        var source = await OpenAsync();
        await FillAsync(source);
        await using var target = await OpenSqliteAsync("target.db");
        // An interrupted first run: it got 1,000 messages of one archive over, and the room state.
        using (var stop = new CancellationTokenSource())
        {
            var progress = new StopAfter(stop, copied: 1000);
            Assert.CatchAsync<OperationCanceledException>(() => ArchiveCopier.CopyAsync(source, target, progress, stop.Token));
        }
        var partial = (await target.QueryAsync(Room, new ArchiveQuery(Max: 0))).Count + (await target.QueryAsync(OtherRoom, new ArchiveQuery(Max: 0))).Count;
        Assert.That(partial, Is.GreaterThan(0).And.LessThan(2507));

        var messages = new List<ArchiveCopyProgress>();
        var report = await ArchiveCopier.CopyAsync(source, target, new Recorder(messages));
        Assert.That(report.Verified, Is.True, string.Join("; ", report.Mismatches));
        Assert.That(messages.Where(p => p.Stage == "messages").Select(p => p.Copied).First(), Is.GreaterThan(0), "it started where the first run stopped");
        await AssertSameAsync(source, target);
    }

    [Test]
    public async Task A_target_that_is_not_an_earlier_copy_of_the_source_is_refused()
    {
        var source = await OpenAsync();
        await AppendSequentiallyAsync(source, Room, 5);
        await using var target = await OpenSqliteAsync("other.db");
        await AppendSequentiallyAsync(target, Room, 2);
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => ArchiveCopier.CopyAsync(source, target));
        Assert.That(error!.Message, Does.Contain("not an earlier copy"));
        Assert.That((await target.QueryAsync(Room, new ArchiveQuery(Max: 0))).Count, Is.EqualTo(2), "nothing was added to it");
    }

    private sealed class StopAfter(CancellationTokenSource stop, long copied) : IProgress<ArchiveCopyProgress>
    {
        public void Report(ArchiveCopyProgress value)
        {
            if (value.Stage == "messages" && value.Copied >= copied)
                stop.Cancel();
        }
    }

    private sealed class Recorder(List<ArchiveCopyProgress> list) : IProgress<ArchiveCopyProgress>
    {
        public void Report(ArchiveCopyProgress value) => list.Add(value);
    }
}
