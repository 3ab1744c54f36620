using System.Net;
using System.Net.Sockets;

namespace XmppGroupChat.Tests.Integration.Infrastructure;

public static class FreePort
{
    private static readonly HashSet<int> Handed = new();

    /// <summary>A loopback TCP port nobody listens on, never handed out twice in one test run.</summary>
    public static int Next() => Next(IPAddress.Loopback);

    /// <summary>A TCP port nobody listens on at <paramref name="address"/>, never handed out twice in one test run.</summary>
    public static int Next(IPAddress address)
    {
        lock (Handed)
        {
            while (true)
            {
                using var l = new TcpListener(address, 0);
                l.Start();
                var port = ((IPEndPoint)l.LocalEndpoint).Port;
                l.Stop();
                if (Handed.Add(port)) return port;
            }
        }
    }

    public static Task WaitListeningAsync(int port, TimeSpan timeout, Func<string>? diagnostics = null) =>
        WaitListeningAsync(IPAddress.Loopback, port, timeout, diagnostics);

    public static async Task WaitListeningAsync(IPAddress address, int port, TimeSpan timeout, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(address, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
            catch (SocketException)
            {
                throw new TimeoutException($"nothing listens on {address}:{port} after {timeout.TotalSeconds} s. {diagnostics?.Invoke()}");
            }
        }
    }
}
