using System.Net;
using System.Net.Sockets;

namespace XmppGroupChat.Tests.Integration.Infrastructure.Federation;

/// <summary>
/// A TCP proxy in front of one server's s2s port. The peer that connects is
/// <see cref="FromServer"/> (its hosts file sends it here), so bytes going in are
/// FromServer→ToServer and bytes coming back are ToServer→FromServer; both directions are
/// counted and their elements recorded in <see cref="Traffic"/> before they are forwarded.
/// <see cref="Block"/> is a netsplit both servers notice (connections reset, new ones refused);
/// <see cref="Stall"/> is one they do not (connections stay up, nothing moves).
/// </summary>
public sealed class CountingProxy : IAsyncDisposable
{
    private enum Mode { Open, Refusing, Stalled }

    private readonly Socket _listener;
    private readonly object _gate = new();
    private readonly Dictionary<int, ProxiedConnection> _open = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private Mode _mode = Mode.Open;
    private TaskCompletionSource _flowing = Released();

    public CountingProxy(IPEndPoint listen, IPEndPoint target, string fromServer, string toServer, TrafficLog traffic)
    {
        ListenEndPoint = listen;
        Target = target;
        FromServer = fromServer;
        ToServer = toServer;
        Traffic = traffic;
        _listener = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(listen);
        _listener.Listen(64);
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public IPEndPoint ListenEndPoint { get; }
    public IPEndPoint Target { get; }
    public string FromServer { get; }
    public string ToServer { get; }
    public TrafficLog Traffic { get; }

    public int OpenConnections
    {
        get { lock (_gate) return _open.Count; }
    }

    /// <summary>Resets every connection and refuses new ones until <see cref="Unblock"/>.</summary>
    public void Block()
    {
        List<ProxiedConnection> cut;
        lock (_gate)
        {
            _mode = Mode.Refusing;
            if (_flowing.Task.IsCompleted) _flowing = new(TaskCreationOptions.RunContinuationsAsynchronously);
            cut = _open.Values.ToList();
        }
        foreach (var c in cut) c.Abort();
    }

    /// <summary>Keeps every connection open but moves no byte (new connections wait too) until <see cref="Unblock"/>.</summary>
    public void Stall()
    {
        lock (_gate)
        {
            _mode = Mode.Stalled;
            if (_flowing.Task.IsCompleted) _flowing = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Lets traffic through again: stalled bytes move on, new connections are accepted.</summary>
    public void Unblock()
    {
        lock (_gate)
        {
            _mode = Mode.Open;
            _flowing.TrySetResult();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            client.NoDelay = true;
            ProxiedConnection? connection = null;
            lock (_gate)
            {
                if (_mode != Mode.Refusing)
                {
                    connection = new ProxiedConnection(Traffic.OpenedConnection(FromServer, ToServer), client, Target.AddressFamily, _stop.Token);
                    _open[connection.Id] = connection;
                }
            }
            if (connection is null) ProxiedConnection.Reset(client);
            else _ = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(ProxiedConnection connection)
    {
        try
        {
            await WaitFlowingAsync(connection.Token);
            await connection.Upstream.ConnectAsync(Target, connection.Token);
            await Task.WhenAll(
                PumpAsync(connection.Client, connection.Upstream, FromServer, ToServer, connection),
                PumpAsync(connection.Upstream, connection.Client, ToServer, FromServer, connection));
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The server behind is down, or the connection was cut: the peer sees a reset, as on a real network.
        }
        finally
        {
            connection.Close();
            lock (_gate) _open.Remove(connection.Id);
        }
    }

    private async Task PumpAsync(Socket source, Socket destination, string from, string to, ProxiedConnection connection)
    {
        var tap = new StanzaTap(e => Traffic.Record(from, to, connection.Id, e), note => Traffic.Note(from, to, connection.Id, note));
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var n = await source.ReceiveAsync(buffer, SocketFlags.None, connection.Token);
                if (n == 0) break;
                await WaitFlowingAsync(connection.Token);
                await tap.FeedAsync(buffer.AsMemory(0, n));
                Traffic.Forwarded(from, to, n);
                for (var sent = 0; sent < n;)
                    sent += await destination.SendAsync(buffer.AsMemory(sent, n - sent), SocketFlags.None, connection.Token);
            }
            // The sender closed its side: pass the half-close on, the other direction may still be talking.
            destination.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            connection.Abort();
        }
        finally
        {
            tap.End();
        }
    }

    private Task WaitFlowingAsync(CancellationToken token)
    {
        Task flowing;
        lock (_gate) flowing = _mode == Mode.Open ? Task.CompletedTask : _flowing.Task;
        return flowing.WaitAsync(token);
    }

    private static TaskCompletionSource Released()
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tcs.SetResult();
        return tcs;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _acceptLoop;
        List<ProxiedConnection> open;
        lock (_gate) open = _open.Values.ToList();
        foreach (var c in open) c.Abort();
        _stop.Dispose();
    }

    /// <summary>The two sockets of one proxied TCP connection.</summary>
    private sealed class ProxiedConnection(int id, Socket client, AddressFamily upstreamFamily, CancellationToken stopping)
    {
        private readonly CancellationTokenSource _cut = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        private int _aborted;

        public int Id { get; } = id;
        public Socket Client { get; } = client;
        public Socket Upstream { get; } = new(upstreamFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        public CancellationToken Token => _cut.Token;

        public void Abort()
        {
            if (Interlocked.Exchange(ref _aborted, 1) == 1) return;
            _cut.Cancel();
            Reset(Client);
            Reset(Upstream);
        }

        /// <summary>Both directions are done (or it was aborted already): a plain close.</summary>
        public void Close()
        {
            if (Interlocked.Exchange(ref _aborted, 1) == 1) return;
            _cut.Cancel();
            Client.Dispose();
            Upstream.Dispose();
        }

        /// <summary>Closes with RST, the way a cut network or a refusing firewall looks to the peer.</summary>
        public static void Reset(Socket socket)
        {
            try { socket.LingerState = new LingerOption(true, 0); }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { }
            socket.Dispose();
        }
    }
}
