namespace XmppGroupChat.Concurrency;

/// <summary>
/// Counts work in flight across a program's executors and says when there is none: the drain signal
/// tests wait on instead of sleeping, and what a graceful stop waits for before the archive closes.
/// </summary>
public sealed class WorkTracker
{
    private readonly object _gate = new();
    private int _inFlight;
    private TaskCompletionSource _idle = Completed();

    public int InFlight => Volatile.Read(ref _inFlight);

    public void Started()
    {
        lock (_gate)
        {
            if (_inFlight++ == 0) _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Finished()
    {
        TaskCompletionSource? idle = null;
        lock (_gate)
        {
            if (--_inFlight == 0) idle = _idle;
        }
        idle?.TrySetResult();
    }

    /// <summary>Completes when no work is in flight (at once if none is). Work started by work keeps it waiting.</summary>
    public Task WhenIdle()
    {
        lock (_gate) return _idle.Task;
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }
}
