using System.Diagnostics;

namespace XmppGroupChat.Load;

/// <summary>
/// One measurement (probe, saturation or paced run): what the senders sent and what each
/// occupant received. Deliveries of other phases (late copies from the one before) are ignored.
/// </summary>
public sealed class Phase
{
    private static int _lastId;
    private readonly long[] _perOccupant;
    private readonly List<int>[] _latencyMicros;
    private long _sent, _delivered, _errors, _countedBytes, _countedCopies;

    /// <param name="latencyFrom">Latency is recorded for messages sent in [from, to) (Stopwatch ticks).</param>
    public Phase(int occupants, long latencyFrom = long.MaxValue, long latencyTo = long.MaxValue)
    {
        Id = Interlocked.Increment(ref _lastId);
        Occupants = occupants;
        LatencyFrom = latencyFrom;
        LatencyTo = latencyTo;
        _perOccupant = new long[occupants];
        _latencyMicros = Enumerable.Range(0, occupants).Select(_ => new List<int>()).ToArray();
    }

    public int Id { get; }
    public int Occupants { get; }
    public long LatencyFrom { get; }
    public long LatencyTo { get; }
    public long Sent => Interlocked.Read(ref _sent);
    public long Delivered => Interlocked.Read(ref _delivered);
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Messages sent whose copies have not all arrived yet (as whole messages).</summary>
    public long InFlight => Sent - Delivered / Occupants;

    public void CountSent() => Interlocked.Increment(ref _sent);
    public void CountError() => Interlocked.Increment(ref _errors);

    public void CountBytes(int bytes, int copies)
    {
        Interlocked.Add(ref _countedBytes, bytes);
        Interlocked.Add(ref _countedCopies, copies);
    }

    /// <summary>Average size of a delivered copy as the server writes it to the occupant.</summary>
    public double? BytesPerCopy => Interlocked.Read(ref _countedCopies) is > 0 and var c ? (double)Interlocked.Read(ref _countedBytes) / c : null;

    /// <summary>The receive time of a copy read in a batch: counted, but no latency.</summary>
    public const long NoTimestamp = -1;

    public void Record(int occupant, long sentTicks, long receivedTicks)
    {
        Interlocked.Increment(ref _delivered);
        Interlocked.Increment(ref _perOccupant[occupant]);
        if (receivedTicks == NoTimestamp || sentTicks < LatencyFrom || sentTicks >= LatencyTo) return;
        var micros = (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(sentTicks, receivedTicks).Ticks / 10);
        var list = _latencyMicros[occupant];
        lock (list) list.Add(micros);
    }

    public long DeliveredTo(int occupant) => Interlocked.Read(ref _perOccupant[occupant]);

    /// <summary>Waits until every copy of every sent message has arrived; false on timeout.</summary>
    public async Task<bool> WaitDeliveredAsync(TimeSpan timeout, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Delivered < Sent * Occupants)
        {
            if (Stopwatch.GetTimestamp() > deadline) return false;
            await Task.Delay(20, ct);
        }
        return true;
    }

    /// <summary>Every recorded latency, sorted (call after the phase has ended).</summary>
    public int[] SortedLatencies()
    {
        var all = new List<int>();
        foreach (var list in _latencyMicros)
            lock (list) all.AddRange(list);
        var array = all.ToArray();
        Array.Sort(array);
        return array;
    }
}
