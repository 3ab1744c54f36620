using System.Net;
using System.Net.Sockets;

namespace XmppGroupChat.Tests.Integration.Infrastructure.Federation;

/// <summary>
/// One 127.0.0.x address held for a federation test: x counts up from 2, is never handed out
/// twice in one test run, and is held with a lock file under /tmp so test runs in other
/// worktrees on the same machine skip it. Any 127/8 address binds on Linux without set-up.
/// </summary>
public sealed class LoopbackAddress : IDisposable
{
    /// <summary>The port every federated server and every proxy listens on: peers find a server on it without SRV records.</summary>
    public const int S2sPort = 5269;

    private static readonly string LockDirectory = Path.Combine(Path.GetTempPath(), "xgc-loopback");
    private static readonly HashSet<int> Handed = new();
    private readonly FileStream _lock;

    private LoopbackAddress(IPAddress address, FileStream held)
    {
        Address = address;
        _lock = held;
    }

    public IPAddress Address { get; }
    public IPEndPoint S2sEndPoint => new(Address, S2sPort);
    public override string ToString() => Address.ToString();

    public static LoopbackAddress Next()
    {
        Directory.CreateDirectory(LockDirectory);
        lock (Handed)
        {
            // 127.0.0.2 .. 127.0.255.254: enough for hundreds of fixtures in one run.
            for (var n = 2; n < 256 * 255; n++)
            {
                if (n % 256 is 0 or 255 || !Handed.Add(n)) continue;
                var address = new IPAddress(new byte[] { 127, 0, (byte)(n / 256), (byte)(n % 256) });
                if (TryHold(address) is { } held) return new LoopbackAddress(address, held);
            }
        }
        throw new InvalidOperationException("no free 127.0.x.y address for a federated server");
    }

    private static FileStream? TryHold(IPAddress address)
    {
        FileStream held;
        try
        {
            // FileShare.None takes an exclusive advisory lock on Unix; the kernel drops it if the run dies.
            held = new FileStream(Path.Combine(LockDirectory, address + ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
        if (S2sPortIsFree(address)) return held;
        held.Dispose();
        return null;
    }

    private static bool S2sPortIsFree(IPAddress address)
    {
        try
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(address, S2sPort));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose() => _lock.Dispose();
}
