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
/// </summary>
public sealed class LoadClient : IAsyncDisposable
{
    private const int ReadSize = 16 * 1024;
    private static readonly TimeSpan LoginTimeout = TimeSpan.FromSeconds(20);

    private readonly Socket _socket;
    private readonly NetworkStream _net;
    private readonly Pipe _toParser = new(new PipeOptions(pauseWriterThreshold: 4 << 20, resumeWriterThreshold: 2 << 20,
        useSynchronizationContext: false));
    private readonly Stream _parserInput;
    private readonly MarkerScanner _scanner = new(ReadSize);
    private readonly Action<int, long> _onMarker;
    private readonly Scoreboard _board;
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly Channel<XElement> _received = Channel.CreateUnbounded<XElement>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<XElement>> _pending = new();
    private XmppStreamReader _reader;
    private volatile bool _parsing = true;
    private long _readTimestamp;
    private Task _socketLoop = Task.CompletedTask;
    private Task _parseLoop = Task.CompletedTask;

    private LoadClient(Socket socket, int index, Scoreboard board)
    {
        _socket = socket;
        _net = new NetworkStream(socket, ownsSocket: true);
        _parserInput = _toParser.Reader.AsStream();
        _reader = new XmppStreamReader(_parserInput, 1 << 20, 64);
        _board = board;
        Index = index;
        _onMarker = (phase, ticks) => _board.Record(Index, phase, ticks, _readTimestamp);
    }

    /// <summary>The occupant's number: its slot in every <see cref="Phase"/>.</summary>
    public int Index { get; }
    public Jid Jid { get; private set; } = null!;

    /// <summary>Registers the account in-band (an existing account is fine) and closes the connection.</summary>
    public static async Task RegisterAsync(int port, string user, string password, CancellationToken ct)
    {
        await using var client = await OpenAsync(port, -1, new Scoreboard(), ct);
        await RunWithin(client, async () =>
        {
            await client.OpenStreamAsync();
            await client.WriteAsync(new XElement(Ns.Client + "iq", new XAttribute("type", "set"), new XAttribute("id", "reg"),
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
        var client = await OpenAsync(port, index, board, ct);
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

    private static async Task<LoadClient> OpenAsync(int port, int index, Scoreboard board, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(LoginTimeout);
        try
        {
            await socket.ConnectAsync("127.0.0.1", port, timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var client = new LoadClient(socket, index, board);
        client._socketLoop = Task.Run(client.SocketLoopAsync, CancellationToken.None);
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
        await WriteAsync(new XElement(Ns.Sasl + "auth", new XAttribute("mechanism", "PLAIN"), plain));
        var auth = await NextAsync();
        if (auth.Name.LocalName != "success") throw new InvalidOperationException($"authentication of {user} failed: {auth}");
        // The server sends nothing after <success/> until the stream restarts, so no byte is lost here.
        _reader.Dispose();
        _reader = new XmppStreamReader(_parserInput, 1 << 20, 64);
        await OpenStreamAsync();
        await WriteAsync(new XElement(Ns.Client + "iq", new XAttribute("type", "set"), new XAttribute("id", "bind"),
            new XElement(Ns.Bind + "bind", new XElement(Ns.Bind + "resource", "load"))));
        var bound = await NextAsync();
        Jid = Jid.Parse(bound.Descendants(Ns.Bind + "jid").Single().Value);
    }

    private async Task OpenStreamAsync()
    {
        await WriteRawAsync(Encoding.UTF8.GetBytes(
            $"<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='{Ns.Stream.NamespaceName}' to='localhost' version='1.0'>"));
        await _reader.ReadStreamHeaderAsync();
        var features = await NextAsync();
        if (features.Name != Ns.Stream + "features") throw new InvalidOperationException("expected stream features: " + features);
    }

    private async Task<XElement> NextAsync() =>
        await _reader.ReadElementAsync() ?? throw new IOException("the server closed the stream");

    private async Task SocketLoopAsync()
    {
        var buffer = new byte[ReadSize];
        try
        {
            while (true)
            {
                var n = await _net.ReadAsync(buffer);
                if (n == 0) break;
                if (_parsing)
                {
                    await _toParser.Writer.WriteAsync(buffer.AsMemory(0, n));
                }
                else
                {
                    _readTimestamp = Stopwatch.GetTimestamp();
                    _scanner.Scan(buffer.AsSpan(0, n), _onMarker);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or OperationCanceledException)
        {
        }
        finally
        {
            await _toParser.Writer.CompleteAsync();
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
            return;
        }
        _received.Writer.TryWrite(e);
    }

    /// <summary>From now on this client only counts markers; nothing it receives is parsed any more.</summary>
    public void StopParsing() => _parsing = false;

    /// <summary>Joins a MUC room (XEP-0045) and returns the self-presence (status 110).</summary>
    public async Task<XElement> JoinAsync(Jid occupant, TimeSpan timeout)
    {
        await WriteAsync(new XElement(Ns.Client + "presence", new XAttribute("to", occupant.ToString()),
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
        await WriteAsync(iq);
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
    public Task SendGroupchatAsync(string roomJid, string body) =>
        WriteRawAsync(Encoding.UTF8.GetBytes($"<message to='{roomJid}' type='groupchat'><body>{body}</body></message>"));

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

    public async Task WriteAsync(XElement stanza)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        StanzaSerializer.Write(stanza, Ns.Client, buffer);
        await WriteRawAsync(buffer.WrittenMemory);
    }

    private async Task WriteRawAsync(ReadOnlyMemory<byte> bytes)
    {
        await _write.WaitAsync();
        try { await _net.WriteAsync(bytes); }
        finally { _write.Release(); }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            if (_socket.Connected) await _net.WriteAsync("</stream:stream>"u8.ToArray(), cts.Token);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or OperationCanceledException)
        {
        }
        _socket.Dispose();
        await Task.WhenAll(_socketLoop, _parseLoop).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
        _reader.Dispose();
    }
}

/// <summary>The room did not let an occupant in (error presence).</summary>
public sealed class JoinFailedException(string message) : Exception(message);
