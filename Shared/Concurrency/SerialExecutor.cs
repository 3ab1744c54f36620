using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace XmppGroupChat.Concurrency;

/// <summary>
/// Runs work one item at a time, in the order it was posted. This is the one concurrency idiom of
/// the three programs: each room (and each service domain) owns one executor, and only the work it
/// runs reads or changes that room's state. An item may await (the archive, a send) and the room
/// simply waits; nothing else touches the room meanwhile, so no lock is ever taken, let alone held
/// across an await or a send. Rooms run in parallel with each other.
/// An executor with nothing queued costs no thread and no task: the drain loop starts when work
/// arrives and ends when the queue is empty, so a hundred thousand idle rooms cost only their queues.
/// </summary>
public sealed class SerialExecutor
{
    // Unbounded: work posted from inside another executor (one room telling another) must never wait
    // on a full queue, or two rooms could wait on each other. Memory is bounded where work enters the
    // process: the link admits a fixed number of inbound stanzas in flight (StanzaDispatcher).
    private readonly Channel<WorkItem> _queue = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly WorkTracker? _tracker;
    private readonly ILogger _logger;
    private readonly string _name;
    private int _draining;

    public SerialExecutor(string name, ILogger logger, WorkTracker? tracker = null)
    {
        _name = name;
        _logger = logger;
        _tracker = tracker;
    }

    /// <summary>Queues work behind what is queued already and returns at once. A failure is logged (event 1301).</summary>
    public void Post(Func<ValueTask> work)
    {
        _tracker?.Started();
        _queue.Writer.TryWrite(new WorkItem(work, null));
        StartDraining();
    }

    /// <summary>Queues work and completes with it (its result or its exception).</summary>
    public Task InvokeAsync(Func<ValueTask> work) => InvokeAsync(async () =>
    {
        await work();
        return true;
    });

    /// <summary>Queues work that computes a value, and completes with that value (or the work's exception).</summary>
    public Task<T> InvokeAsync<T>(Func<ValueTask<T>> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _tracker?.Started();
        _queue.Writer.TryWrite(new WorkItem(async () => done.TrySetResult(await work()), ex => done.TrySetException(ex)));
        StartDraining();
        return done.Task;
    }

    private void StartDraining()
    {
        if (Interlocked.Exchange(ref _draining, 1) == 0)
            _ = Task.Run(DrainAsync);
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            while (_queue.Reader.TryRead(out var item))
            {
                try
                {
                    await item.Work();
                }
                catch (Exception ex)
                {
                    if (item.Failed is { } failed) failed(ex);
                    else ExecutorLog.WorkFailed(_logger, ex, _name);
                }
                finally
                {
                    _tracker?.Finished();
                }
            }
            Volatile.Write(ref _draining, 0);
            // Work posted after the last TryRead but before the flag was cleared saw the flag set and
            // left the draining to this loop: look once more, and take the loop back if there is some.
            if (!_queue.Reader.TryPeek(out _) || Interlocked.Exchange(ref _draining, 1) == 1) return;
        }
    }

    private readonly record struct WorkItem(Func<ValueTask> Work, Action<Exception>? Failed);
}
