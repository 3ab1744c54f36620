using System.Diagnostics;

namespace XmppGroupChat.Load;

/// <summary>CPU used by a set of processes over a wall-clock window, in cores (1.0 = one core busy).</summary>
public sealed class CpuWindow(IReadOnlyList<int> pids)
{
    private TimeSpan _cpu;
    private long _start;

    public static CpuWindow Start(IReadOnlyList<int> pids)
    {
        var w = new CpuWindow(pids);
        w._cpu = ProcCpu.Of(pids);
        w._start = Stopwatch.GetTimestamp();
        return w;
    }

    public double? Cores()
    {
        if (pids.Count == 0) return null;
        var seconds = Stopwatch.GetElapsedTime(_start).TotalSeconds;
        return (ProcCpu.Of(pids) - _cpu).TotalSeconds / seconds;
    }
}
