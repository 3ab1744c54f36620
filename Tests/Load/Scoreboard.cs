namespace XmppGroupChat.Load;

/// <summary>The phase being measured, shared by every client's receive loop.</summary>
public sealed class Scoreboard
{
    private Phase? _current;

    public Phase? Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }

    public void Record(int occupant, int phase, long sentTicks, long receivedTicks)
    {
        // A copy of an earlier phase (late, after that phase ended) is not counted anywhere.
        var current = Current;
        if (current != null && current.Id == phase) current.Record(occupant, sentTicks, receivedTicks);
    }

    public void CountError() => Current?.CountError();

    /// <summary>Raw bytes a counting occupant read, and the copies in them (for the size of a copy on the wire).</summary>
    public void CountBytes(int bytes, int copies) => Current?.CountBytes(bytes, copies);
}
