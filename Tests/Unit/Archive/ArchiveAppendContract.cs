using static XmppGroupChat.Tests.Unit.Archive.ArchiveSamples;
using XmppGroupChat.Tests.Unit.Archive.Engines;
using System.Xml.Linq;
using XmppGroupChat.Archive;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Archive;

/// <summary>Appends: round trip of the stanza, ids, stamps, group commit under concurrency, failure and cancellation.</summary>

public sealed class ArchiveAppendContract(EngineUnderTest engine) : ArchiveContractTests(engine)
{
    [Test]
    public async Task Appended_messages_come_back_equal_in_order_with_their_ids_and_stamps()
    {
        var archive = await OpenAsync();
        var before = DateTimeOffset.UtcNow.AddMilliseconds(-1);
        var drafts = Enumerable.Range(0, 5).Select(i => Draft(i, i % 2 == 0 ? "alice@test" : "bob@test")).ToList();
        var appended = new List<ArchivedMessage>();
        foreach (var draft in drafts)
            appended.Add(await archive.AppendAsync(Room, draft));

        var page = await archive.QueryAsync(Room, new ArchiveQuery());
        Assert.That(Ids(page.Messages), Is.EqualTo(Ids(appended)));
        for (var i = 0; i < drafts.Count; i++)
        {
            var stored = page.Messages[i];
            Assert.That(XNode.DeepEquals(stored.Stanza, drafts[i].Stanza), Is.True, stored.Stanza.ToString());
            XmlAssert.AreEqual(drafts[i].Stanza, stored.Stanza);
            Assert.That(stored.Stanza.Name, Is.EqualTo(Ns.Component + "message"));
            Assert.That(stored.SenderBareJid, Is.EqualTo(drafts[i].SenderBareJid));
            Assert.That(stored.SenderNick, Is.EqualTo(drafts[i].SenderNick));
            Assert.That(stored.Stamp, Is.EqualTo(appended[i].Stamp));
            Assert.That(stored.Stamp, Is.GreaterThanOrEqualTo(before).And.LessThanOrEqualTo(DateTimeOffset.UtcNow));
            Assert.That(stored.Stamp.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(stored.Retracted, Is.False);
            XmlAssert.AreEqual(drafts[i].Stanza, appended[i].Stanza);
        }
        Assert.That(appended.Select(m => m.Stamp), Is.Ordered);
    }

    [Test]
    public async Task Ids_are_16_url_safe_characters_and_unique()
    {
        var archive = await OpenAsync();
        var appended = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => archive.AppendAsync(Room, Draft(i)).AsTask()));
        Assert.That(appended.Select(m => m.Id), Is.Unique);
        Assert.That(appended.Select(m => m.Id), Has.All.Matches(@"^[A-Za-z0-9_-]{16}$"));
    }

    [Test]
    public async Task The_returned_and_stored_stanzas_are_copies_the_caller_may_change()
    {
        var archive = await OpenAsync();
        var draft = Draft(1);
        var expected = new XElement(draft.Stanza);
        var appended = await archive.AppendAsync(Room, draft);
        draft.Stanza.Element(Ns.Component + "body")!.Value = "changed by the caller";
        appended.Stanza.RemoveNodes();

        var stored = (await archive.QueryAsync(Room, new ArchiveQuery())).Messages.Single();
        XmlAssert.AreEqual(expected, stored.Stanza);
    }

    [Test]
    public async Task A_client_namespace_stanza_comes_back_in_the_component_namespace_and_nested_stanzas_keep_theirs()
    {
        var archive = await OpenAsync();
        var forward = XNamespace.Get("urn:xmpp:forward:0");
        var stanza = new XElement(Ns.Client + "message", new XAttribute("type", "groupchat"),
            new XElement(Ns.Client + "body", "  "),
            new XElement(forward + "forwarded",
                new XElement(Ns.Client + "message", new XAttribute("from", "a@b"), new XElement(Ns.Client + "body", "inner"))));
        var appended = await archive.AppendAsync(Room, new MessageDraft("alice@test", null, stanza));

        var expected = new XElement(Ns.Component + "message", new XAttribute("type", "groupchat"),
            new XElement(Ns.Component + "body", "  "),
            new XElement(forward + "forwarded",
                new XElement(Ns.Client + "message", new XAttribute("from", "a@b"), new XElement(Ns.Client + "body", "inner"))));
        var stored = (await archive.QueryAsync(Room, new ArchiveQuery())).Messages.Single();
        Assert.That(XNode.DeepEquals(expected, stored.Stanza), Is.True, stored.Stanza.ToString());
        Assert.That(XNode.DeepEquals(expected, appended.Stanza), Is.True, appended.Stanza.ToString());
        Assert.That(stored.SenderNick, Is.Null);
    }

    [Test]
    public async Task Five_thousand_concurrent_appends_are_all_acknowledged_stored_once_and_in_one_consistent_order()
    {
        var archive = await OpenAsync();
        const int n = 5000;
        var tasks = new Task<ArchivedMessage>[n];
        // Two rooms interleaved and many callers at once, from several threads.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = t; i < n; i += 4)
                tasks[i] = archive.AppendAsync(i % 5 == 0 ? OtherRoom : Room, Draft(i, $"user{i % 7}@test")).AsTask();
        })));
        var acked = await Task.WhenAll(tasks);

        Assert.That(acked.Select(m => m.Id), Is.Unique);
        var stored = (await ReadAllAsync(archive, Room)).Concat(await ReadAllAsync(archive, OtherRoom)).ToList();
        Assert.That(stored, Has.Count.EqualTo(n));
        Assert.That(stored.Select(m => m.Id), Is.EquivalentTo(acked.Select(m => m.Id)));

        foreach (var room in new[] { Room, OtherRoom })
        {
            var inRoom = await ReadAllAsync(archive, room);
            // Archive order is commit order: stamps never decrease along it, and every caller's
            // acknowledged stamp is the stored one.
            Assert.That(inRoom.Select(m => m.Stamp), Is.Ordered);
            var ackedById = acked.ToDictionary(m => m.Id);
            Assert.That(inRoom.All(m => ackedById[m.Id].Stamp == m.Stamp), Is.True);
            // The body says which draft it was: each stored stanza belongs to the id it was acknowledged with.
            Assert.That(inRoom.All(m => XNode.DeepEquals(m.Stanza, ackedById[m.Id].Stanza)), Is.True);
            var page = await archive.QueryAsync(room, new ArchiveQuery(Before: "", Max: 1));
            Assert.That(page.Count, Is.EqualTo(inRoom.Count));
            Assert.That(page.FirstIndex, Is.EqualTo(inRoom.Count - 1));
        }

        // Group commit happened: far fewer transactions than appends.
        var stats = archive.WriteStats;
        Assert.That(stats.Writes, Is.EqualTo(n));
        Assert.That(stats.Batches, Is.LessThan(n / 5), $"{stats.Batches} batches for {n} appends");
    }

    [Test]
    public async Task Appends_of_one_caller_awaited_in_turn_keep_their_order_under_concurrent_load()
    {
        var archive = await OpenAsync();
        var noise = Enumerable.Range(0, 2000).Select(i => archive.AppendAsync(Room, Draft(i, "noise@test")).AsTask()).ToList();
        var mine = await AppendSequentiallyAsync(archive, Room, 50, _ => "me@test", first: 10_000);
        await Task.WhenAll(noise);
        var stored = await ReadAllAsync(archive, Room, with: "me@test");
        Assert.That(Ids(stored), Is.EqualTo(Ids(mine)));
    }

    [Test]
    public async Task When_a_batch_fails_every_caller_in_it_gets_the_error_and_nothing_of_it_is_stored()
    {
        var archive = await OpenAsync();
        await Engine.FailAppendsFromAsync(archive, Target, "boom@test");

        var (blocker, gate) = await HoldWriterAsync(archive);
        // The writer is busy with the blocker's batch: these three are queued and form the next batch.
        var good1 = archive.AppendAsync(Room, Draft(1)).AsTask();
        var bad = archive.AppendAsync(Room, new MessageDraft("boom@test", null, Message(2))).AsTask();
        var good2 = archive.AppendAsync(Room, Draft(3)).AsTask();
        gate.Set();
        await blocker;

        foreach (var task in new[] { good1, bad, good2 })
        {
            var error = Assert.CatchAsync<Exception>(async () => await task);
            Assert.That(error!.Message, Does.Contain("boom"));
        }
        Assert.That((await archive.QueryAsync(Room, new ArchiveQuery())).Count, Is.Zero);

        // The writer recovered: the next batch commits, with positions starting over correctly.
        var after = await archive.AppendAsync(Room, Draft(4));
        var page = await archive.QueryAsync(Room, new ArchiveQuery());
        Assert.That(Ids(page.Messages), Is.EqualTo(new[] { after.Id }));
        Assert.That(page.Count, Is.EqualTo(1));
        Assert.That(page.FirstIndex, Is.EqualTo(0));
    }

    [Test]
    public async Task A_failing_room_store_write_fails_alone_while_the_appends_of_its_batch_commit()
    {
        var archive = await OpenAsync();
        var (blocker, gate) = await HoldWriterAsync(archive);
        var append1 = archive.AppendAsync(Room, Draft(1)).AsTask();
        var orphan = archive.SaveParticipantAsync("nowhere@mix.test", new ParticipantRecord("p1", "a@test", "a", [], DateTimeOffset.UnixEpoch));
        var append2 = archive.AppendAsync(Room, Draft(2)).AsTask();
        gate.Set();
        await blocker;

        Assert.ThrowsAsync<InvalidOperationException>(async () => await orphan);
        await Task.WhenAll(append1, append2);
        Assert.That((await archive.QueryAsync(Room, new ArchiveQuery())).Count, Is.EqualTo(2));
        Assert.That(archive.WriteStats.Batches, Is.EqualTo(2));
    }

    [Test]
    public async Task An_append_cancelled_while_queued_is_not_stored()
    {
        var archive = await OpenAsync();
        var (blocker, gate) = await HoldWriterAsync(archive);
        using var cts = new CancellationTokenSource();
        var cancelled = archive.AppendAsync(Room, Draft(1), cts.Token).AsTask();
        var kept = archive.AppendAsync(Room, Draft(2)).AsTask();
        cts.Cancel();
        gate.Set();
        await blocker;

        Assert.That(async () => await cancelled, Throws.InstanceOf<OperationCanceledException>());
        var stored = (await archive.QueryAsync(Room, new ArchiveQuery())).Messages;
        Assert.That(Ids(stored), Is.EqualTo(new[] { (await kept).Id }));
        Assert.That(async () => await archive.AppendAsync(Room, Draft(3), cts.Token), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task Dispose_commits_what_was_queued_refuses_what_waited_for_room_and_later_calls()
    {
        var archive = await OpenAsync(queueCapacity: 64);
        // More than the queue holds: the rest wait for room, and are refused when the archive closes.
        var pending = Enumerable.Range(0, 1000).Select(i => archive.AppendAsync(Room, Draft(i)).AsTask()).ToList();
        await archive.DisposeAsync();
        await archive.DisposeAsync(); // idempotent

        var acked = new List<ArchivedMessage>();
        foreach (var task in pending)
        {
            try
            {
                acked.Add(await task);
            }
            catch (ObjectDisposedException)
            {
            }
        }
        Assert.That(acked, Has.Count.GreaterThanOrEqualTo(64));

        Assert.That(() => archive.AppendAsync(Room, Draft(1)), Throws.InstanceOf<ObjectDisposedException>());
        Assert.That(async () => await archive.QueryAsync(Room, new ArchiveQuery()), Throws.InstanceOf<ObjectDisposedException>());
        Assert.That(async () => await archive.SaveRegisteredNickAsync("a@test", "a"), Throws.InstanceOf<ObjectDisposedException>());

        // Exactly the acknowledged ones are in the file.
        var reopened = await OpenAsync();
        Assert.That(Ids(await ReadAllAsync(reopened, Room)), Is.EquivalentTo(Ids(acked)));
    }
}
