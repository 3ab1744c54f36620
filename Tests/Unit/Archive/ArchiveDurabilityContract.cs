using System.Diagnostics;
using System.Xml.Linq;
using XmppGroupChat.Archive;
using XmppGroupChat.Tests.Unit.Archive.Engines;
using XmppGroupChat.Tests.Unit.Support;
using static XmppGroupChat.Tests.Unit.Archive.ArchiveSamples;

namespace XmppGroupChat.Tests.Unit.Archive;

/// <summary>
/// What survives: a clean close and reopen; kill -9 of a process that is appending (a real child
/// process, killed with SIGKILL); an archive of the previous schema version, upgraded on open. And
/// what is refused with a clear log line: a newer schema, a damaged location, another program's data.
/// </summary>
public sealed class ArchiveDurabilityContract(EngineUnderTest engine) : ArchiveContractTests(engine)
{
    private static async Task<(List<ArchivedMessage> Messages, RoomRecord Room)> WriteEverythingAsync(IArchiveStore archive)
    {
        var room = RoomStoreContract.RoomRecord(participants:
        [
            RoomStoreContract.Participant("p1", "alice@test"),
            RoomStoreContract.Participant("p2", "bob@test", joinedMs: 1_763_700_200_000),
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

    private static async Task AssertEverythingAsync(IArchiveStore archive, List<ArchivedMessage> messages, RoomRecord room)
    {
        RoomStoreContract.AssertSame(room, (await archive.LoadRoomsAsync()).Single());
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

        var second = await OpenAsync();
        await AssertEverythingAsync(second, messages, room);

        // Positions and stamps continue from storage.
        var next = await second.AppendAsync(Room, Draft(1000));
        var page = await second.QueryAsync(Room, new ArchiveQuery(Before: "", Max: 1));
        Assert.That(page.Messages.Single().Id, Is.EqualTo(next.Id));
        Assert.That(page.Count, Is.EqualTo(301));
        Assert.That(page.FirstIndex, Is.EqualTo(300));
        Assert.That(next.Stamp, Is.GreaterThanOrEqualTo(messages.Max(m => m.Stamp)));
    }

    [Test]
    public async Task Every_acknowledged_write_survives_kill_9_of_a_process_that_is_appending()
    {
        const int AckedBeforeKill = 1500;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "exec", typeof(ArchiveWriterChild).Assembly.Location, ArchiveWriterChild.Command,
                     $"{ArchiveEngines.Name(Engine.Engine)}:{Target}" })
            start.ArgumentList.Add(arg);
        var acked = new Dictionary<string, int>();
        using (var child = Process.Start(start)!)
        {
            try
            {
                Assert.That(await child.StandardOutput.ReadLineAsync(), Is.EqualTo("ready"), await ErrorOf(child));
                while (acked.Count < AckedBeforeKill)
                {
                    var line = await child.StandardOutput.ReadLineAsync() ?? throw new AssertionException("the child stopped: " + await ErrorOf(child));
                    var parts = line.Split(' ');
                    acked.Add(parts[1], int.Parse(parts[2]));
                }
            }
            finally
            {
                child.Kill(); // SIGKILL: no flush, no close, mid-batch
                await child.WaitForExitAsync();
            }
        }

        var archive = await OpenAsync();
        var stored = (await ReadAllAsync(archive, ArchiveWriterChild.ChildRoom)).ToDictionary(m => m.Id);
        foreach (var (id, n) in acked)
        {
            Assert.That(stored.TryGetValue(id, out var message), Is.True, $"acknowledged message {n} ({id}) is lost");
            XmlAssert.AreEqual(Message(n, n % 3 == 0 ? "bob@test" : "alice@test", ArchiveWriterChild.ChildRoom), message!.Stanza);
        }
        // Whatever else got in is whole: positions dense, count and index agree, order by stamp.
        var last = await archive.QueryAsync(ArchiveWriterChild.ChildRoom, new ArchiveQuery(Before: "", Max: 1));
        Assert.That(last.Count, Is.EqualTo(stored.Count));
        Assert.That(last.FirstIndex, Is.EqualTo(stored.Count - 1));
        Assert.That((await ReadAllAsync(archive, ArchiveWriterChild.ChildRoom)).Select(m => m.Stamp), Is.Ordered);
        Assert.That((await archive.LoadRoomsAsync()).Single().Participants.Single().Id, Is.EqualTo("p1"));
        Assert.That(await archive.LoadRegisteredNicksAsync(), Does.ContainKey("alice@test"));
        // And the archive carries on.
        var next = await archive.AppendAsync(ArchiveWriterChild.ChildRoom, Draft(1));
        last = await archive.QueryAsync(ArchiveWriterChild.ChildRoom, new ArchiveQuery(Before: "", Max: 1));
        Assert.That((last.Messages.Single().Id, last.Count), Is.EqualTo((next.Id, stored.Count + 1)));

        static async Task<string> ErrorOf(Process child) => child.HasExited ? await child.StandardError.ReadToEndAsync() : "";
    }

    [Test]
    public async Task An_archive_of_the_previous_schema_version_is_upgraded_with_its_data()
    {
        var old = await OpenAsync(schemaVersion: 2);
        var messages = await AppendSequentiallyAsync(old, Room, 3);
        await old.SaveRoomAsync(RoomStoreContract.RoomRecord());
        var participant = RoomStoreContract.Participant("p1", "alice@test");
        await Engine.SaveParticipantAsPreviousVersionAsync(old, Target, Room, participant);
        await old.SaveRelayRoomAsync("relayed@muc.test", new XElement("state"));
        await old.SaveRelayEntryAsync("relayed@muc.test", new RelayEntry("occupant", "Wumpus", new XElement("presence")));
        await old.DisposeAsync();

        var logs = new RecordingLogger();
        var upgraded = await OpenAsync(logger: logs);
        Assert.That(logs.Messages(3002).Single(), Does.Contain("from version 2 to 3"));
        var room = (await upgraded.LoadRoomsAsync()).Single();
        RoomStoreContract.AssertSame(RoomStoreContract.RoomRecord(participants: [participant]), room);
        Assert.That(room.Participants.Single().Dialect, Is.EqualTo("urn:xmpp:mix:core:1"), "the default of the version before");
        Assert.That(Ids(await ReadAllAsync(upgraded, Room)), Is.EqualTo(Ids(messages)));
        Assert.That((await upgraded.LoadRelayRoomsAsync()).Single().Entries.Single().Key, Is.EqualTo("Wumpus"));

        // The new version's column is in use, and positions carry on.
        await upgraded.SaveParticipantAsync(Room, participant with { Dialect = "urn:xmpp:mix:0" });
        Assert.That((await upgraded.LoadRoomsAsync()).Single().Participants.Single().Dialect, Is.EqualTo("urn:xmpp:mix:0"));
        await upgraded.AppendAsync(Room, Draft(3));
        var page = await upgraded.QueryAsync(Room, new ArchiveQuery(Before: "", Max: 1));
        Assert.That((page.Count, page.FirstIndex), Is.EqualTo((4, 3)));
    }

    [Test]
    public async Task An_archive_of_a_newer_program_is_refused()
    {
        await (await OpenAsync()).DisposeAsync();
        await Engine.MarkNewerSchemaAsync(Target);
        var logs = new RecordingLogger();
        var error = Assert.ThrowsAsync<ArchiveOpenException>(() => OpenAsync(logger: logs));
        Assert.That(error!.Message, Does.Contain("99").And.Contain("newer program"));
        Assert.That(logs.Messages(3007).Single(), Does.Contain("99"));
    }

    [Test]
    public async Task A_damaged_location_is_refused_with_a_log_line_naming_the_setting()
    {
        await (await OpenAsync()).DisposeAsync();
        var damaged = await Engine.DamagedTargetAsync(Target);
        var logs = new RecordingLogger();
        var error = Assert.ThrowsAsync<ArchiveOpenException>(() => OpenAsync(damaged, logger: logs));
        if (Engine.Engine == ArchiveEngine.PostgreSql)
        {
            Assert.That(error!.Message, Does.Contain("Storage:ConnectionString").And.Contain("28P01"));
            Assert.That(logs.Messages(3008).Single(), Does.Contain("password"));
        }
        else
        {
            Assert.That(error!.Message, Does.Contain("damaged").And.Contain("Storage:Path"));
            Assert.That(logs.Messages(3007).Single(), Does.Contain(damaged));
        }
    }

    [Test]
    public async Task Another_programs_data_is_refused_and_left_as_it_was()
    {
        var foreign = await Engine.ForeignTargetAsync(Directory);
        var logs = new RecordingLogger();
        var error = Assert.ThrowsAsync<ArchiveOpenException>(() => OpenAsync(foreign, logger: logs));
        Assert.That(error!.Message, Does.Contain("contacts"));
        Assert.That(logs.Messages(3007).Single(), Does.Contain("contacts"));
    }
}
