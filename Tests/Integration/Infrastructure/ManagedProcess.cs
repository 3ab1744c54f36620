using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace XmppGroupChat.Tests.Integration.Infrastructure;

/// <summary>A child process whose output is kept for assertions and failure messages.</summary>
public sealed class ManagedProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private ManagedProcess(Process process) => _process = process;

    public static ManagedProcess Start(string file, IEnumerable<string> args, string? workingDirectory = null,
        IDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (environment != null)
            foreach (var (k, v) in environment) psi.Environment[k] = v;
        var p = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var mp = new ManagedProcess(p);
        p.OutputDataReceived += (_, e) => { if (e.Data != null) mp._lines.Enqueue(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data != null) mp._lines.Enqueue(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return mp;
    }

    public Process Process => _process;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;
    public string Output => string.Join('\n', _lines);

    public async Task<bool> WaitForOutputAsync(string fragment, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_lines.Any(l => l.Contains(fragment, StringComparison.Ordinal))) return true;
            await Task.Delay(50);
        }
        return false;
    }

    /// <summary>How many output lines so far contain <paramref name="fragment"/>.</summary>
    public int OutputCount(string fragment) => _lines.Count(l => l.Contains(fragment, StringComparison.Ordinal));

    /// <summary>Waits until at least <paramref name="count"/> output lines contain <paramref name="fragment"/>; false on timeout.</summary>
    public async Task<bool> WaitForOutputCountAsync(string fragment, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (OutputCount(fragment) >= count) return true;
            await Task.Delay(50);
        }
        return false;
    }

    /// <summary>Waits for exit; false on timeout.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited) return;
        Signals.Send(_process, Signals.SigTerm);
        if (!await WaitForExitAsync(grace)) Kill();
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    public static async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout,
        IDictionary<string, string>? environment = null)
    {
        using var p = Start(file, args, environment: environment);
        if (!await p.WaitForExitAsync(timeout))
        {
            p.Kill();
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeout.TotalSeconds} s:\n{p.Output}");
        }
        p.Process.WaitForExit(); // drain the output readers
        return (p.ExitCode, p.Output);
    }
}
