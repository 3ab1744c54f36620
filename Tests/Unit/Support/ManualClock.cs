namespace XmppGroupChat.Tests.Unit.Support;

/// <summary>
/// The unit tests' one clock: it moves only when told (<see cref="Advance"/>) and then fires the
/// timers that fall due, so nothing in a unit test waits on real time.
/// </summary>
internal sealed class ManualClock : TimeProvider
{
    private readonly List<Timer> _timers = new();
    private DateTimeOffset _now;

    public ManualClock(DateTimeOffset? start = null) => _now = start ?? new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(callback, state, _now + dueTime, period);
        lock (_timers) _timers.Add(timer);
        return timer;
    }

    /// <summary>Moves the clock on and runs each timer that is due by then (a periodic one once per advance).</summary>
    public void Advance(TimeSpan by)
    {
        _now += by;
        List<Timer> due;
        lock (_timers) due = _timers.Where(t => !t.Stopped && t.Due <= _now).ToList();
        foreach (var timer in due)
        {
            if (timer.Period > TimeSpan.Zero && timer.Period != Timeout.InfiniteTimeSpan) timer.Due = _now + timer.Period;
            else timer.Stopped = true;
            timer.Callback(timer.State);
        }
        lock (_timers) _timers.RemoveAll(t => t.Stopped);
    }

    public int PendingTimers
    {
        get
        {
            lock (_timers) return _timers.Count(t => !t.Stopped);
        }
    }

    private sealed class Timer(TimerCallback callback, object? state, DateTimeOffset due, TimeSpan period) : ITimer
    {
        public TimerCallback Callback { get; } = callback;
        public object? State { get; } = state;
        public DateTimeOffset Due { get; set; } = due;
        public TimeSpan Period { get; } = period;
        public bool Stopped { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period) => throw new NotSupportedException("the suite's timers are not changed once made");
        public void Dispose() => Stopped = true;

        public ValueTask DisposeAsync()
        {
            Stopped = true;
            return ValueTask.CompletedTask;
        }
    }
}
