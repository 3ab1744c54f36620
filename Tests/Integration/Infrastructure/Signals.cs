using System.Diagnostics;
using System.Runtime.InteropServices;

namespace XmppGroupChat.Tests.Integration.Infrastructure;

/// <summary>POSIX signals for child processes: .NET only offers SIGKILL, and a graceful stop needs SIGTERM.</summary>
public static partial class Signals
{
    public const int SigTerm = 15;
    public const int SigInt = 2;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);

    public static void Send(Process process, int signal)
    {
        if (!process.HasExited) kill(process.Id, signal);
    }
}
