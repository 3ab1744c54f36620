using static XmppGroupChat.Tests.Unit.Archive.ArchiveSamples;
using XmppGroupChat.Tests.Unit.Archive.Engines;
using XmppGroupChat.Archive;

namespace XmppGroupChat.Tests.Unit.Archive;

/// <summary>A query is one snapshot: its page, count and first index agree while the writer changes the archive.</summary>

public sealed class ArchiveSnapshotContract(EngineUnderTest engine) : ArchiveContractTests(engine)
{
    [Test]
    public async Task Pages_counts_and_first_indexes_agree_while_the_archive_is_filled_and_deleted()
    {
        var archive = await OpenAsync();
        using var stop = new CancellationTokenSource();
        var churn = Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => archive.AppendAsync(Room, Draft(n++)).AsTask()));
                await archive.DeleteArchiveAsync(Room);
            }
        });

        var pagesSeen = 0;
        var deadline = DateTime.UtcNow.AddSeconds(2);
        while (DateTime.UtcNow < deadline || pagesSeen < 50)
        {
            var last = await archive.QueryAsync(Room, new ArchiveQuery(Before: "", Max: 10));
            Assert.That(last.Messages, Has.Count.EqualTo(Math.Min(10, last.Count)));
            Assert.That(last.Complete, Is.EqualTo(last.Count <= 10));
            if (last.Messages.Count > 0)
            {
                Assert.That(last.FirstIndex, Is.EqualTo(last.Count - last.Messages.Count));
                pagesSeen++;
            }
            var first = await archive.QueryAsync(Room, new ArchiveQuery(Max: 10));
            Assert.That(first.Messages, Has.Count.EqualTo(Math.Min(10, first.Count)));
        }
        stop.Cancel();
        await churn;
    }
}
