using System.Runtime.InteropServices;

namespace XmppGroupChat.Load;

/// <summary>CPU time of processes, read from /proc/&lt;pid&gt;/stat (utime + stime).</summary>
public static partial class ProcCpu
{
    private const int ScClkTck = 2; // _SC_CLK_TCK on Linux

    [LibraryImport("libc")]
    private static partial long sysconf(int name);

    private static readonly double TicksPerSecond = sysconf(ScClkTck) is > 0 and var t ? t : 100;

    /// <summary>User plus system time the process has used so far; zero once it is gone.</summary>
    public static TimeSpan Of(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return TimeSpan.Zero;
        }
        // The command name (field 2) is in parentheses and may contain spaces: count from the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11]) + long.Parse(fields[12]); // fields 14 and 15 of stat(5)
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    public static TimeSpan Of(IEnumerable<int> pids) => pids.Aggregate(TimeSpan.Zero, (sum, pid) => sum + Of(pid));

    /// <summary>CPU time the whole machine has been busy (all cores, everything but idle and iowait).</summary>
    public static TimeSpan MachineBusy()
    {
        // First line of /proc/stat: "cpu  user nice system idle iowait irq softirq steal ..."
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(long.Parse).ToArray();
        var busy = fields.Sum() - fields[3] - fields[4];
        if (fields.Length > 9) busy -= fields[8] + fields[9]; // guest time is already counted in user time
        return TimeSpan.FromSeconds(busy / TicksPerSecond);
    }

    /// <summary>Processes whose command line contains <paramref name="fragment"/> (such as a server's own directory).</summary>
    public static IReadOnlyList<int> WithCommandLine(string fragment)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(fragment, StringComparison.Ordinal)) found.Add(pid);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process ended while the list was read.
            }
        }
        return found;
    }
}
