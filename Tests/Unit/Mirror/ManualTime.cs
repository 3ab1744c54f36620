namespace XmppGroupChat.Tests.Unit.Mirror;

/// <summary>A clock that moves only when told (<see cref="Advance"/>), firing the timers that fall due: no waiting in unit tests.</summary>
internal sealed class ManualTime : TimeProvider
{
    private readonly List<Timer> _timers = new();
    private DateTimeOffset _now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(callback, state, _now + dueTime);
        _timers.Add(timer);
        return timer;
    }

    /// <summary>Moves the clock on and runs each timer that is due by then, once.</summary>
    public void Advance(TimeSpan by)
    {
        _now += by;
        foreach (var timer in _timers.Where(t => !t.Stopped && t.Due <= _now).ToList())
        {
            timer.Stopped = true;
            timer.Callback(timer.State);
        }
        _timers.RemoveAll(t => t.Stopped);
    }

    public int PendingTimers => _timers.Count(t => !t.Stopped);

    private sealed class Timer(TimerCallback callback, object? state, DateTimeOffset due) : ITimer
    {
        public TimerCallback Callback { get; } = callback;
        public object? State { get; } = state;
        public DateTimeOffset Due { get; } = due;
        public bool Stopped { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period) => throw new NotSupportedException("the mirror's timers are one-shot");
        public void Dispose() => Stopped = true;
        public ValueTask DisposeAsync()
        {
            Stopped = true;
            return ValueTask.CompletedTask;
        }
    }
}
