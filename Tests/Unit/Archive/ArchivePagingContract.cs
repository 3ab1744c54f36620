using static XmppGroupChat.Tests.Unit.Archive.ArchiveSamples;
using XmppGroupChat.Tests.Unit.Archive.Engines;
using XmppGroupChat.Archive;

namespace XmppGroupChat.Tests.Unit.Archive;

/// <summary>
/// MAM paging (XEP-0313 with XEP-0059 RSM): first page, after, before, the empty before (last page),
/// complete, count, first index, unknown ids, the start/end/with filters, max 0 and the clamp.
/// The room has 25 messages from alice, bob and carol in turn; another room's messages are
/// interleaved so that the room's rows are not contiguous in the table.
/// </summary>

public sealed class ArchivePagingContract(EngineUnderTest engine) : ArchiveContractTests(engine)
{
    private static readonly string[] Senders = ["alice@test", "bob@test", "carol@test"];

    private IArchiveStore _archive = null!;
    private List<ArchivedMessage> _all = null!;
    private List<ArchivedMessage> _other = null!;

    [SetUp]
    public async Task Fill()
    {
        _archive = await OpenAsync();
        _all = [];
        _other = [];
        for (var i = 0; i < 25; i++)
        {
            _all.Add(await _archive.AppendAsync(Room, Draft(i, Senders[i % 3])));
            if (i % 4 == 0)
                _other.Add(await _archive.AppendAsync(OtherRoom, Draft(100 + i, "bob@test", OtherRoom)));
        }
    }

    private List<string> Range(int from, int count) => _all.Skip(from).Take(count).Select(m => m.Id).ToList();

    private Task<ArchivePage> Query(ArchiveQuery query) => _archive.QueryAsync(Room, query);

    [Test]
    public async Task Without_paging_the_first_page_is_returned()
    {
        var page = await Query(new ArchiveQuery(Max: 10));
        Assert.That(Ids(page.Messages), Is.EqualTo(Range(0, 10)));
        Assert.That(page.Complete, Is.False);
        Assert.That(page.Count, Is.EqualTo(25));
        Assert.That(page.FirstIndex, Is.EqualTo(0));
    }

    [Test]
    public async Task After_returns_the_next_max_messages_and_the_last_page_is_complete()
    {
        var page = await Query(new ArchiveQuery(After: _all[9].Id, Max: 10));
        Assert.That(Ids(page.Messages), Is.EqualTo(Range(10, 10)));
        Assert.That(page.Complete, Is.False);
        Assert.That(page.FirstIndex, Is.EqualTo(10));
        Assert.That(page.Count, Is.EqualTo(25));

        page = await Query(new ArchiveQuery(After: _all[19].Id, Max: 10));
        Assert.That(Ids(page.Messages), Is.EqualTo(Range(20, 5)));
        Assert.That(page.Complete, Is.True);
        Assert.That(page.FirstIndex, Is.EqualTo(20));

        // Exactly reaching the end is complete too.
        page = await Query(new ArchiveQuery(After: _all[14].Id, Max: 10));
        Assert.That(Ids(page.Messages), Is.EqualTo(Range(15, 10)));
        Assert.That(page.Complete, Is.True);
    }

    [Test]
    public async Task After_the_last_message_is_an_empty_complete_page()
    {
        var page = await Query(new ArchiveQuery(After: _all[^1].Id));
        Assert.That(page.Messages, Is.Empty);
        Assert.That(page.Complete, Is.True);
        Assert.That(page.Count, Is.EqualTo(25));
        Assert.That(page.FirstIndex, Is.Null);
    }

    [Test]
    public async Task An_empty_before_returns_the_last_page_in_chronological_order()
    {
        var page = await Query(new ArchiveQuery(Before: "", Max: 10));
        Assert.That(Ids(page.Messages), Is.EqualTo(Range(15, 10)));
        Assert.That(page.Complete, Is.False);
        Assert.That(page.Count, Is.EqualTo(25));
        Assert.That(page.FirstIndex, Is.EqualTo(15));

        page = await Query(new ArchiveQuery(Before: "", Max: 25));
        Assert.That(Ids(page.Messages), Is.EqualTo(Range(0, 25)));
        Assert.That(page.Complete, Is.True);
        Assert.That(page.FirstIndex, Is.EqualTo(0));
    }

    [Test]
    public async Task Before_returns_the_max_messages_immediately_before_and_the_first_page_is_complete()
    {
        var page = await Query(new ArchiveQuery(Before: _all[15].Id, Max: 10));
        Assert.That(Ids(page.Messages), Is.EqualTo(Range(5, 10)));
        Assert.That(page.Complete, Is.False);
        Assert.That(page.FirstIndex, Is.EqualTo(5));

        page = await Query(new ArchiveQuery(Before: _all[5].Id, Max: 10));
        Assert.That(Ids(page.Messages), Is.EqualTo(Range(0, 5)));
        Assert.That(page.Complete, Is.True);
        Assert.That(page.FirstIndex, Is.EqualTo(0));

        page = await Query(new ArchiveQuery(Before: _all[10].Id, Max: 10));
        Assert.That(Ids(page.Messages), Is.EqualTo(Range(0, 10)));
        Assert.That(page.Complete, Is.True);

        page = await Query(new ArchiveQuery(Before: _all[0].Id, Max: 10));
        Assert.That(page.Messages, Is.Empty);
        Assert.That(page.Complete, Is.True);
        Assert.That(page.Count, Is.EqualTo(25));
    }

    [Test]
    public async Task After_and_before_together_give_what_lies_between_read_forward()
    {
        var page = await Query(new ArchiveQuery(After: _all[3].Id, Before: _all[9].Id, Max: 10));
        Assert.That(Ids(page.Messages), Is.EqualTo(Range(4, 5)));
        Assert.That(page.Complete, Is.True);
        page = await Query(new ArchiveQuery(After: _all[3].Id, Before: _all[9].Id, Max: 2));
        Assert.That(Ids(page.Messages), Is.EqualTo(Range(4, 2)));
        Assert.That(page.Complete, Is.False);
    }

    [Test]
    public async Task Paging_forward_and_backward_visits_every_message_once()
    {
        var forward = new List<string>();
        string? after = null;
        ArchivePage page;
        do
        {
            page = await Query(new ArchiveQuery(After: after, Max: 7));
            forward.AddRange(Ids(page.Messages));
            after = page.Messages.LastOrDefault()?.Id;
        } while (!page.Complete);
        Assert.That(forward, Is.EqualTo(Range(0, 25)));

        var backward = new List<string>();
        var before = "";
        do
        {
            page = await Query(new ArchiveQuery(Before: before, Max: 7));
            backward.InsertRange(0, Ids(page.Messages));
            before = page.Messages.FirstOrDefault()?.Id ?? "";
        } while (!page.Complete);
        Assert.That(backward, Is.EqualTo(Range(0, 25)));
    }

    [Test]
    public void An_unknown_after_or_before_id_is_item_not_found()
    {
        var error = Assert.ThrowsAsync<ArchiveItemNotFoundException>(() => Query(new ArchiveQuery(After: "no-such-id")));
        Assert.That(error!.Id, Is.EqualTo("no-such-id"));
        error = Assert.ThrowsAsync<ArchiveItemNotFoundException>(() => Query(new ArchiveQuery(Before: "nope")));
        Assert.That(error!.Id, Is.EqualTo("nope"));
    }

    [Test]
    public void An_id_of_another_archive_is_item_not_found()
    {
        Assert.ThrowsAsync<ArchiveItemNotFoundException>(() => Query(new ArchiveQuery(After: _other[0].Id)));
        Assert.ThrowsAsync<ArchiveItemNotFoundException>(() => Query(new ArchiveQuery(Before: _other[0].Id)));
        Assert.ThrowsAsync<ArchiveItemNotFoundException>(() =>
            _archive.QueryAsync("empty@mix.test", new ArchiveQuery(After: _all[0].Id)));
    }

    [Test]
    public async Task Max_zero_returns_only_the_count()
    {
        var page = await Query(new ArchiveQuery(Max: 0));
        Assert.That(page.Messages, Is.Empty);
        Assert.That(page.Count, Is.EqualTo(25));
        Assert.That(page.FirstIndex, Is.Null);
        Assert.That(page.Complete, Is.False);

        page = await Query(new ArchiveQuery(Before: "", Max: 0));
        Assert.That(page.Messages, Is.Empty);
        Assert.That(page.Count, Is.EqualTo(25));

        page = await Query(new ArchiveQuery(After: _all[^1].Id, Max: 0));
        Assert.That(page.Complete, Is.True);

        page = await _archive.QueryAsync("empty@mix.test", new ArchiveQuery(Max: 0));
        Assert.That(page.Count, Is.Zero);
        Assert.That(page.Complete, Is.True);
    }

    [Test]
    public async Task A_negative_max_is_read_as_zero()
    {
        var page = await Query(new ArchiveQuery(Max: -5));
        Assert.That(page.Messages, Is.Empty);
        Assert.That(page.Count, Is.EqualTo(25));
    }

    [Test]
    public async Task An_empty_archive_gives_an_empty_complete_page()
    {
        foreach (var query in new[] { new ArchiveQuery(), new ArchiveQuery(Before: ""), new ArchiveQuery(With: "alice@test") })
        {
            var page = await _archive.QueryAsync("empty@mix.test", query);
            Assert.That(page.Messages, Is.Empty);
            Assert.That(page.Complete, Is.True);
            Assert.That(page.Count, Is.Zero);
            Assert.That(page.FirstIndex, Is.Null);
        }
    }

    [Test]
    public async Task With_selects_one_senders_messages_and_counts_and_indexes_among_them()
    {
        var bobs = _all.Where(m => m.SenderBareJid == "bob@test").Select(m => m.Id).ToList(); // 8 of 25
        var page = await Query(new ArchiveQuery(With: "bob@test", Max: 3));
        Assert.That(Ids(page.Messages), Is.EqualTo(bobs.Take(3)));
        Assert.That(page.Count, Is.EqualTo(bobs.Count));
        Assert.That(page.FirstIndex, Is.EqualTo(0));
        Assert.That(page.Complete, Is.False);

        page = await Query(new ArchiveQuery(With: "bob@test", After: bobs[2], Max: 3));
        Assert.That(Ids(page.Messages), Is.EqualTo(bobs.Skip(3).Take(3)));
        Assert.That(page.FirstIndex, Is.EqualTo(3));

        page = await Query(new ArchiveQuery(With: "bob@test", Before: "", Max: 3));
        Assert.That(Ids(page.Messages), Is.EqualTo(bobs.Skip(bobs.Count - 3)));
        Assert.That(page.FirstIndex, Is.EqualTo(bobs.Count - 3));
        Assert.That(page.Complete, Is.False);

        // An anchor that is not bob's still positions the page.
        page = await Query(new ArchiveQuery(With: "bob@test", After: _all[11].Id, Max: 100)); // bob has 13, 16, 19, 22
        Assert.That(Ids(page.Messages), Is.EqualTo(new[] { _all[13].Id, _all[16].Id, _all[19].Id, _all[22].Id }));
        Assert.That(page.FirstIndex, Is.EqualTo(4));
        Assert.That(page.Complete, Is.True);

        page = await Query(new ArchiveQuery(With: "nobody@test"));
        Assert.That(page.Messages, Is.Empty);
        Assert.That(page.Count, Is.Zero);
        Assert.That(page.Complete, Is.True);
    }

    [Test]
    public async Task Start_and_end_select_an_inclusive_time_range()
    {
        // Three bursts far enough apart that their stamps do not meet.
        var archive = _archive;
        const string room = "timed@mix.test";
        var a = await AppendSequentiallyAsync(archive, room, 4);
        await Task.Delay(30);
        var b = await AppendSequentiallyAsync(archive, room, 4, first: 4);
        await Task.Delay(30);
        var c = await AppendSequentiallyAsync(archive, room, 4, first: 8);

        var page = await archive.QueryAsync(room, new ArchiveQuery(Start: b[0].Stamp, End: b[^1].Stamp));
        Assert.That(Ids(page.Messages), Is.EqualTo(Ids(b)));
        Assert.That(page.Count, Is.EqualTo(4));
        Assert.That(page.FirstIndex, Is.EqualTo(0));
        Assert.That(page.Complete, Is.True);

        page = await archive.QueryAsync(room, new ArchiveQuery(Start: b[0].Stamp));
        Assert.That(Ids(page.Messages), Is.EqualTo(Ids(b.Concat(c))));
        page = await archive.QueryAsync(room, new ArchiveQuery(End: b[^1].Stamp, Before: "", Max: 2));
        Assert.That(Ids(page.Messages), Is.EqualTo(Ids(b.Skip(2))));
        Assert.That(page.Count, Is.EqualTo(8));
        Assert.That(page.FirstIndex, Is.EqualTo(6));
        Assert.That(page.Complete, Is.False);

        // Paging inside the range, from an anchor outside it.
        page = await archive.QueryAsync(room, new ArchiveQuery(Start: b[0].Stamp, End: b[^1].Stamp, After: a[0].Id, Max: 3));
        Assert.That(Ids(page.Messages), Is.EqualTo(Ids(b.Take(3))));
        Assert.That(page.Complete, Is.False);

        // A range between the bursts, and an inverted one, are empty.
        page = await archive.QueryAsync(room, new ArchiveQuery(Start: a[^1].Stamp.AddMilliseconds(1), End: b[0].Stamp.AddMilliseconds(-1)));
        Assert.That(page.Count, Is.Zero);
        Assert.That(page.Messages, Is.Empty);
        page = await archive.QueryAsync(room, new ArchiveQuery(Start: c[0].Stamp, End: a[0].Stamp));
        Assert.That(page.Count, Is.Zero);

        // Start is inclusive at millisecond precision: a start inside b[0]'s millisecond excludes it.
        page = await archive.QueryAsync(room, new ArchiveQuery(Start: b[0].Stamp.AddTicks(1), End: b[^1].Stamp));
        Assert.That(Ids(page.Messages), Is.EqualTo(Ids(b.Where(m => m.Stamp > b[0].Stamp))));
        Assert.That(Ids(page.Messages), Does.Not.Contain(b[0].Id));
    }

    [Test]
    public async Task Start_end_and_with_combine()
    {
        const string room = "timed@mix.test";
        await AppendSequentiallyAsync(_archive, room, 6, i => Senders[i % 2]);
        await Task.Delay(30);
        var b = await AppendSequentiallyAsync(_archive, room, 6, i => Senders[i % 2], first: 6);
        var page = await _archive.QueryAsync(room, new ArchiveQuery(Start: b[0].Stamp, With: "bob@test", Max: 2));
        var bobsInB = b.Where(m => m.SenderBareJid == "bob@test").ToList();
        Assert.That(Ids(page.Messages), Is.EqualTo(Ids(bobsInB.Take(2))));
        Assert.That(page.Count, Is.EqualTo(3));
        Assert.That(page.FirstIndex, Is.EqualTo(0));
        Assert.That(page.Complete, Is.False);
    }

    [Test]
    public async Task Max_is_clamped_to_1000()
    {
        await Task.WhenAll(Enumerable.Range(0, 1100).Select(i => _archive.AppendAsync("big@mix.test", Draft(i)).AsTask()));
        var page = await _archive.QueryAsync("big@mix.test", new ArchiveQuery(Max: 5000));
        Assert.That(page.Messages, Has.Count.EqualTo(1000));
        Assert.That(page.Complete, Is.False);
        Assert.That(page.Count, Is.EqualTo(1100));
    }
}
