using System.Diagnostics;

namespace XmppGroupChat.Load;

/// <summary>CPU used over a wall-clock window, in cores (1.0 = one core busy the whole time).</summary>
public sealed class CpuWindow
{
    private readonly Func<TimeSpan> _read;
    private readonly TimeSpan _cpu;
    private readonly long _start;

    private CpuWindow(Func<TimeSpan> read)
    {
        _read = read;
        _cpu = read();
        _start = Stopwatch.GetTimestamp();
    }

    /// <summary>Starts counting the CPU time of <paramref name="pids"/>; null when there are none.</summary>
    public static CpuWindow? Of(IReadOnlyList<int> pids) => pids.Count == 0 ? null : new CpuWindow(() => ProcCpu.Of(pids));

    /// <summary>Starts counting the busy time of the whole machine.</summary>
    public static CpuWindow Machine() => new(ProcCpu.MachineBusy);

    public double Cores() => (_read() - _cpu).TotalSeconds / Stopwatch.GetElapsedTime(_start).TotalSeconds;
}
