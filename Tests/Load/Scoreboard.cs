namespace XmppGroupChat.Load;

/// <summary>The phase being measured, shared by every client's receive loop.</summary>
public sealed class Scoreboard
{
    private Phase? _current;
    private long _stale;

    public Phase? Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }

    /// <summary>Copies that arrived for a phase other than the current one (late, after a phase ended).</summary>
    public long Stale => Interlocked.Read(ref _stale);

    public void Record(int occupant, int phase, long sentTicks, long receivedTicks)
    {
        var current = Current;
        if (current is null || current.Id != phase) Interlocked.Increment(ref _stale);
        else current.Record(occupant, sentTicks, receivedTicks);
    }

    public void CountError() => Current?.CountError();
}
