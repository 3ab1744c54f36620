using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace XmppGroupChat.Archive;

/// <summary>
/// An archive's only writer: group commit, the same for every engine.
/// <para>
/// Every write (appends and all other changes) goes through one bounded queue. A dedicated thread
/// takes whatever is queued (up to <see cref="GroupCommitOptions.MaxBatch"/>), hands it to the
/// engine's <see cref="IBatchWriter"/>, which writes it all in one transaction and commits, and only
/// then completes each caller. Under load a commit's fixed cost is shared by hundreds of writes; when
/// idle a lone write is committed at once (no timer, no added latency). One writer also means one
/// place that assigns positions and stamps in commit order, and no write conflicts between our own writers.
/// </para>
/// <para>
/// A dedicated thread rather than a pool task, because the engines' calls block: a commit must not
/// take a thread-pool thread away from the stanza handlers on a 2-core machine.
/// </para>
/// </summary>
internal sealed class GroupCommitQueue
{
    private readonly string _location;
    private readonly ILogger _logger;
    private readonly IBatchWriter _writer;
    private readonly int _maxBatch;
    private readonly Channel<WriteItem> _queue;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _batches;
    private long _committedItems;
    private long _busyTicks;

    public GroupCommitQueue(string location, ILogger logger, GroupCommitOptions options, IBatchWriter writer)
    {
        _location = location;
        _logger = logger;
        _writer = writer;
        _maxBatch = options.MaxBatch;
        _queue = Channel.CreateBounded<WriteItem>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
            AllowSynchronousContinuations = false,
        });
        new Thread(Run) { IsBackground = true, Name = "archive-writer" }.Start();
    }

    /// <summary>Queues a message; the task completes once the batch holding it has committed.</summary>
    public ValueTask<ArchivedMessage> AppendAsync(AppendItem item)
    {
        var enqueued = EnqueueAsync(item);
        return enqueued.IsCompletedSuccessfully ? new ValueTask<ArchivedMessage>(item.Task) : AwaitBoth(enqueued, item);

        static async ValueTask<ArchivedMessage> AwaitBoth(ValueTask enqueued, AppendItem item)
        {
            await enqueued.ConfigureAwait(false);
            return await item.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Runs <paramref name="operation"/> on the writer thread inside a batch; completes after the commit.</summary>
    public async Task<T> RunAsync<T>(Func<T> operation, CancellationToken cancellationToken)
    {
        var item = new OperationItem<T>(operation, cancellationToken);
        await EnqueueAsync(item).ConfigureAwait(false);
        return await item.Task.ConfigureAwait(false);
    }

    /// <summary>Refuses new writes, lets the queued ones commit, and ends the thread.</summary>
    public Task StopAsync()
    {
        _queue.Writer.TryComplete();
        return _stopped.Task;
    }

    /// <summary>Committed batches and the writes in them since open: their ratio is the mean batch size.</summary>
    public ArchiveWriteStats Stats => new(Interlocked.Read(ref _batches), Interlocked.Read(ref _committedItems),
        Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _busyTicks)));

    private ValueTask EnqueueAsync(WriteItem item)
    {
        if (_queue.Writer.TryWrite(item))
            return default;
        return Slow(item);

        async ValueTask Slow(WriteItem item)
        {
            try
            {
                await _queue.Writer.WriteAsync(item, item.CancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException closed) when (closed.InnerException is { } cause)
            {
                // The writer thread stopped on an unexpected error (see Run): say so, not "closed".
                throw new InvalidOperationException($"The archive {_location} stopped writing after an error.", cause);
            }
            catch (ChannelClosedException)
            {
                throw new ObjectDisposedException("archive", $"The archive {_location} is closed.");
            }
        }
    }

    private void Run()
    {
        var reader = _queue.Reader;
        var batch = new List<WriteItem>(_maxBatch);
        try
        {
            while (WaitToRead(reader))
            {
                while (batch.Count < _maxBatch && reader.TryRead(out var item))
                {
                    // Still queued, so not written: a cancelled caller can be told so truthfully.
                    if (item.CancellationToken.IsCancellationRequested)
                        item.Cancel();
                    else
                        batch.Add(item);
                }
                if (batch.Count > 0)
                {
                    var started = Stopwatch.GetTimestamp();
                    WriteBatch(batch);
                    Interlocked.Add(ref _busyTicks, Stopwatch.GetTimestamp() - started);
                    batch.Clear();
                }
            }
        }
        catch (Exception e)
        {
            // WriteBatch handles the engines' errors itself; this is a bug. Nobody may wait forever.
            _queue.Writer.TryComplete(e);
            foreach (var item in batch)
                item.Fail(e);
            while (reader.TryRead(out var item))
                item.Fail(e);
            ArchiveLog.BatchFailed(_logger, e, _location, batch.Count);
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private static bool WaitToRead(ChannelReader<WriteItem> reader)
    {
        var wait = reader.WaitToReadAsync();
        return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    private void WriteBatch(List<WriteItem> batch)
    {
        try
        {
            _writer.WriteBatch(batch);
        }
        catch (Exception e)
        {
            // Nothing of the batch is stored: every caller gets the error (an operation that already
            // failed on its own keeps its own error). An unreachable server is logged by its engine,
            // once per outage, not once per refused batch.
            if (e is not ArchiveUnavailableException)
                ArchiveLog.BatchFailed(_logger, e, _location, batch.Count);
            foreach (var item in batch)
                item.Fail(e);
            return;
        }
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _committedItems, batch.Count);
        foreach (var item in batch)
            item.Succeed();
    }
}
