using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using System.Xml.Linq;
using XmppGroupChat.Component;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Load;

/// <summary>
/// One occupant's c2s connection (no TLS, SASL PLAIN, in-band registration), built on the suite's
/// own stream reader and serialiser like the integration tests' TestClient. TestClient is not
/// reused because it keeps every stanza it receives and parses everything, and a measurement
/// delivers hundreds of thousands of stanzas on a machine the server needs. This client reads in
/// one of two ways: parsing (log-in, join, and the senders throughout, so bounces are seen) or
/// counting, where a receiver only searches the raw bytes for load markers. Each read goes to
/// exactly one of the two.
/// Each socket is read with plain blocking receives on a thread of its own. With async reads the
/// driver spent about twice the CPU per delivered stanza (about 46 against 22 µs on ejabberd
/// here), and the driver shares two cores with the server it measures.
/// </summary>
public sealed class LoadClient : IAsyncDisposable
{
    private const int ReadSize = 16 * 1024;
    private static readonly TimeSpan LoginTimeout = TimeSpan.FromSeconds(20);

    private readonly Socket _socket;
    private readonly Lock _write = new();
    private readonly Pipe _toParser = new(new PipeOptions(pauseWriterThreshold: 4 << 20, resumeWriterThreshold: 2 << 20,
        useSynchronizationContext: false));
    private readonly Stream _parserInput;
    private readonly MarkerScanner _scanner = new(ReadSize);
    private readonly Action<int, long> _onMarker;
    private readonly Scoreboard _board;
    private readonly Channel<XElement> _received = Channel.CreateUnbounded<XElement>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<XElement>> _pending = new();
    private XmppStreamReader _reader;
    private volatile bool _parsing = true;
    private volatile bool _batching;
    private long _readTimestamp;
    private int _markersInRead;
    private Task _socketLoop = Task.CompletedTask;
    private Task _parseLoop = Task.CompletedTask;

    private LoadClient(Socket socket, int index, Scoreboard board)
    {
        _socket = socket;
        _parserInput = _toParser.Reader.AsStream();
        _reader = new XmppStreamReader(_parserInput, 1 << 20, 64);
        _board = board;
        Index = index;
        _onMarker = (phase, ticks) =>
        {
            _markersInRead++;
            _board.Record(Index, phase, ticks, _readTimestamp);
        };
    }

    /// <summary>The last load message this client parsed (senders only): shows what a copy looks like.</summary>
    public XElement? LastLoadMessage { get; private set; }

    /// <summary>The occupant's number: its slot in every <see cref="Phase"/>.</summary>
    public int Index { get; }
    public Jid Jid { get; private set; } = null!;

    /// <summary>Registers the account in-band (an existing account is fine) and closes the connection.</summary>
    public static async Task RegisterAsync(int port, string user, string password, CancellationToken ct)
    {
        await using var client = Open(port, -1, new Scoreboard(), ct);
        await RunWithin(client, async () =>
        {
            await client.OpenStreamAsync();
            client.Write(new XElement(Ns.Client + "iq", new XAttribute("type", "set"), new XAttribute("id", "reg"),
                new XElement(Ns.Register + "query",
                    new XElement(Ns.Register + "username", user), new XElement(Ns.Register + "password", password))));
            var answer = await client.NextAsync();
            if (answer.IsErrorType() && StanzaError.FromStanza(answer)?.Condition != StanzaErrorCondition.Conflict)
                throw new InvalidOperationException($"registering {user} failed: {answer}");
        }, ct);
    }

    /// <summary>Logs in and binds resource "load"; the client then parses until <see cref="StopParsing"/>.</summary>
    public static async Task<LoadClient> LoginAsync(int port, string user, string password, int index, Scoreboard board,
        CancellationToken ct)
    {
        var client = Open(port, index, board, ct);
        try
        {
            await RunWithin(client, () => client.AuthenticateAsync(user, password), ct);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
        client._parseLoop = Task.Run(client.ParseLoopAsync, CancellationToken.None);
        return client;
    }

    private static LoadClient Open(int port, int index, Scoreboard board, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        // Only synchronous calls on this socket: it is read by its own thread (see the summary).
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Connect("127.0.0.1", port);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var client = new LoadClient(socket, index, board);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client._socketLoop = done.Task;
        new Thread(() =>
        {
            try { client.SocketLoop(); }
            finally { done.SetResult(); }
        }, 256 * 1024) { IsBackground = true, Name = $"load-client-{index}" }.Start();
        return client;
    }

    // The parser cannot be cancelled: on timeout the socket is closed, which ends it.
    private static async Task RunWithin(LoadClient client, Func<Task> step, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(LoginTimeout);
        await using var _ = timeout.Token.Register(() => client._socket.Dispose());
        try
        {
            await step();
        }
        catch (Exception ex) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested && ex is not InvalidOperationException)
        {
            throw new TimeoutException($"no answer from the server within {LoginTimeout.TotalSeconds} s", ex);
        }
    }

    private async Task AuthenticateAsync(string user, string password)
    {
        await OpenStreamAsync();
        var plain = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0{password}"));
        Write(new XElement(Ns.Sasl + "auth", new XAttribute("mechanism", "PLAIN"), plain));
        var auth = await NextAsync();
        if (auth.Name.LocalName != "success") throw new InvalidOperationException($"authentication of {user} failed: {auth}");
        // The server sends nothing after <success/> until the stream restarts, so no byte is lost here.
        _reader.Dispose();
        _reader = new XmppStreamReader(_parserInput, 1 << 20, 64);
        await OpenStreamAsync();
        Write(new XElement(Ns.Client + "iq", new XAttribute("type", "set"), new XAttribute("id", "bind"),
            new XElement(Ns.Bind + "bind", new XElement(Ns.Bind + "resource", "load"))));
        var bound = await NextAsync();
        Jid = Jid.Parse(bound.Descendants(Ns.Bind + "jid").Single().Value);
    }

    private async Task OpenStreamAsync()
    {
        WriteRaw(Encoding.UTF8.GetBytes(
            $"<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='{Ns.Stream.NamespaceName}' to='localhost' version='1.0'>"));
        await _reader.ReadStreamHeaderAsync();
        var features = await NextAsync();
        if (features.Name != Ns.Stream + "features") throw new InvalidOperationException("expected stream features: " + features);
    }

    private async Task<XElement> NextAsync() =>
        await _reader.ReadElementAsync() ?? throw new IOException("the server closed the stream");

    private void SocketLoop()
    {
        var buffer = new byte[ReadSize];
        var batching = false;
        try
        {
            while (true)
            {
                if (batching != _batching) ApplyBatching(batching = _batching);
                var n = _socket.Receive(buffer, SocketFlags.None, out var error);
                if (error is SocketError.WouldBlock or SocketError.TimedOut) continue; // a batch wait ended with nothing
                if (error != SocketError.Success || n == 0) break;
                if (_parsing)
                {
                    var flush = _toParser.Writer.WriteAsync(buffer.AsMemory(0, n));
                    if (!flush.IsCompleted) flush.AsTask().GetAwaiter().GetResult(); // the parser is behind: wait for it
                }
                else
                {
                    // A batched read arrives late by design: it counts, but its time is not a latency.
                    _readTimestamp = batching ? Phase.NoTimestamp : Stopwatch.GetTimestamp();
                    _markersInRead = 0;
                    _scanner.Scan(buffer.AsSpan(0, n), _onMarker);
                    _board.CountBytes(n, _markersInRead);
                }
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            _toParser.Writer.Complete();
        }
    }

    private async Task ParseLoopAsync()
    {
        try
        {
            while (await _reader.ReadElementAsync() is { } e) Dispatch(e);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or StreamViolationException)
        {
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }

    private void Dispatch(XElement e)
    {
        var kind = e.GetKind();
        if (kind == StanzaKind.Iq && e.IsResponse() && e.GetId() is { } id && _pending.TryRemove(id, out var tcs))
        {
            tcs.TrySetResult(e);
            return;
        }
        if (kind == StanzaKind.Message && e.Element(Ns.Client + "body")?.Value is { } body && Marker.TryParse(body, out var phase, out var ticks))
        {
            // A load message: a copy from the room counts, a bounce of one we sent is an error.
            if (e.IsErrorType()) _board.CountError();
            else if (e.GetStanzaType() == StanzaType.Groupchat) _board.Record(Index, phase, ticks, Stopwatch.GetTimestamp());
            LastLoadMessage = e;
            return;
        }
        _received.Writer.TryWrite(e);
    }

    /// <summary>From now on this client only counts markers; nothing it receives is parsed any more.</summary>
    public void StopParsing() => _parsing = false;

    /// <summary>
    /// While on, a receive that finds nothing waits until 8 KB have arrived (SO_RCVLOWAT) or 20 ms
    /// have passed, so at saturation one wake-up handles dozens of stanzas instead of one and the
    /// driver leaves the CPU to the server. The server writes every stanza exactly as before; only
    /// the reading side is batched. Off for the occupants that sample latency, which read every
    /// stanza as it arrives. Takes effect at the client's next receive.
    /// </summary>
    public void ReadInBatches(bool on) => _batching = on;

    // On the reading thread, between receives: the kernel only wakes a waiting receive once the
    // data reaches the current low-water mark, so raising the mark under a receive that waits
    // without a time limit would leave it waiting for good.
    private void ApplyBatching(bool on)
    {
        // The managed timeout rather than a raw SO_RCVTIMEO: .NET may wait for readiness itself.
        _socket.ReceiveTimeout = on ? (int)BatchWait.TotalMilliseconds : 0;
        _socket.SetRawSocketOption(SolSocket, SoRcvLowat, BitConverter.GetBytes(on ? BatchBytes : 1));
    }

    private const int SolSocket = 1, SoRcvLowat = 18; // Linux <asm-generic/socket.h>
    private const int BatchBytes = 8 * 1024;
    private static readonly TimeSpan BatchWait = TimeSpan.FromMilliseconds(20);

    /// <summary>Joins a MUC room (XEP-0045) and returns the self-presence (status 110).</summary>
    public async Task<XElement> JoinAsync(Jid occupant, TimeSpan timeout)
    {
        Write(new XElement(Ns.Client + "presence", new XAttribute("to", occupant.ToString()),
            new XElement(Ns.Muc + "x", new XElement(Ns.Muc + "history", new XAttribute("maxstanzas", "0")))));
        var answer = await WaitForAsync(p => p.GetKind() == StanzaKind.Presence && p.GetFrom() == occupant &&
                                             (p.IsErrorType() || HasStatus(p, "110")), timeout);
        if (answer.IsErrorType())
            throw new JoinFailedException($"{occupant} refused the join: {StanzaError.FromStanza(answer)?.Condition.ToString() ?? answer.ToString()}");
        return answer;
    }

    public static bool HasStatus(XElement presence, string code) =>
        presence.Elements(Ns.MucUser + "x").Elements(Ns.MucUser + "status").Any(s => (string?)s.Attribute("code") == code);

    /// <summary>Sends an IQ and returns its response, result or error alike.</summary>
    public async Task<XElement> RequestAsync(XElement iq, TimeSpan timeout)
    {
        var id = iq.GetId() ?? Stanza.NewId();
        iq.SetAttributeValue("id", id);
        var tcs = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        Write(iq);
        try
        {
            return await tcs.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            _pending.TryRemove(id, out _);
            throw new TimeoutException($"no response to {iq}");
        }
    }

    /// <summary>Sends one load message to the room: the bytes are built directly, no tree per message.</summary>
    public void SendGroupchat(string roomJid, string body) =>
        WriteRaw(Encoding.UTF8.GetBytes($"<message to='{roomJid}' type='groupchat'><body>{body}</body></message>"));

    private async Task<XElement> WaitForAsync(Func<XElement, bool> match, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var e = await _received.Reader.ReadAsync(cts.Token);
                if (match(e)) return e;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no matching stanza within {timeout.TotalSeconds} s");
        }
        catch (ChannelClosedException)
        {
            throw new IOException("the server closed the stream");
        }
    }

    public void Write(XElement stanza)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        StanzaSerializer.Write(stanza, Ns.Client, buffer);
        WriteRaw(buffer.WrittenSpan);
    }

    // A blocking send: returns once the kernel has taken every byte.
    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        lock (_write) _socket.Send(bytes);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.Connected)
            {
                WriteRaw("</stream:stream>"u8);
                _socket.Shutdown(SocketShutdown.Both); // wakes the reading thread
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
        {
        }
        _socket.Dispose();
        await Task.WhenAll(_socketLoop, _parseLoop).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
        _reader.Dispose();
    }
}

/// <summary>The room did not let an occupant in (error presence).</summary>
public sealed class JoinFailedException(string message) : Exception(message);
