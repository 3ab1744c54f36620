using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using System.Xml.Linq;
using XmppGroupChat.Component;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Integration.Infrastructure;

/// <summary>
/// A small XMPP client (c2s, no TLS, SASL PLAIN, in-band registration) built on the suite's own
/// stream reader and serialiser, for driving the servers quickly from tests.
/// </summary>
public sealed class TestClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _net;
    private XmppStreamReader _reader;
    private readonly Channel<XElement> _received = Channel.CreateUnbounded<XElement>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<XElement>> _pending = new();
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly List<XElement> _seen = new();
    private Task? _readLoop;

    private TestClient(Socket socket)
    {
        _socket = socket;
        _net = new NetworkStream(socket, ownsSocket: true);
        _reader = new XmppStreamReader(_net, 1 << 20, 64);
    }

    public Jid Jid { get; private set; } = null!;

    public static async Task<TestClient> ConnectAsync(int port, string user, string password = "pass",
        string domain = XmppServer.Domain, bool register = true, string resource = "test", string host = "127.0.0.1")
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(host, port);
        var client = new TestClient(socket);
        try
        {
            await client.LoginAsync(user, password, domain, register, resource);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
        return client;
    }

    private async Task LoginAsync(string user, string password, string domain, bool register, string resource)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var _ = timeout.Token.Register(() => _socket.Dispose());
        await OpenStreamAsync(domain);
        if (register)
        {
            await WriteAsync(Stanza.Iq("set", null, null, new XElement(Ns.Register + "query",
                new XElement(Ns.Register + "username", user), new XElement(Ns.Register + "password", password)), "reg"));
            var answer = await NextAsync();
            // conflict: registered by an earlier test; anything else is a set-up failure
            if (answer.IsErrorType() && StanzaError.FromStanza(answer)?.Condition != StanzaErrorCondition.Conflict)
                throw new InvalidOperationException("registration failed: " + answer);
        }
        var plain = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{user}\0{password}"));
        await WriteAsync(new XElement(Ns.Sasl + "auth", new XAttribute("mechanism", "PLAIN"), plain));
        var auth = await NextAsync();
        if (auth.Name.LocalName != "success") throw new InvalidOperationException("authentication failed: " + auth);
        _reader = new XmppStreamReader(_net, 1 << 20, 64);
        await OpenStreamAsync(domain);
        await WriteAsync(Stanza.Iq("set", null, null, new XElement(Ns.Bind + "bind", new XElement(Ns.Bind + "resource", resource)), "bind"));
        var bound = await NextAsync();
        Jid = Jid.Parse(bound.Descendants(Ns.Bind + "jid").Single().Value);
        _readLoop = Task.Run(ReadLoopAsync);
    }

    private async Task OpenStreamAsync(string domain)
    {
        await WriteRawAsync($"<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='{Ns.Stream.NamespaceName}' to='{domain}' version='1.0'>");
        await _reader.ReadStreamHeaderAsync();
        var features = await NextAsync();
        if (features.Name != Ns.Stream + "features") throw new InvalidOperationException("expected stream features: " + features);
    }

    private async Task<XElement> NextAsync() =>
        await _reader.ReadElementAsync() ?? throw new IOException("the server closed the stream");

    private async Task ReadLoopAsync()
    {
        try
        {
            while (await _reader.ReadElementAsync() is { } e)
            {
                lock (_seen) _seen.Add(e);
                if (e.GetKind() == StanzaKind.Iq && e.IsResponse() && e.GetId() is { } id && _pending.TryRemove(id, out var tcs))
                    tcs.TrySetResult(e);
                else
                    _received.Writer.TryWrite(e);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }

    public Task SendAsync(XElement stanza) => WriteAsync(stanza);

    /// <summary>Sends an IQ and returns its response, result or error alike.</summary>
    public async Task<XElement> RequestAsync(XElement iq, TimeSpan? timeout = null)
    {
        var id = iq.GetId() ?? Stanza.NewId();
        iq.SetAttributeValue("id", id);
        var tcs = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        await WriteAsync(iq);
        var done = await Task.WhenAny(tcs.Task, Task.Delay(timeout ?? TimeSpan.FromSeconds(10)));
        if (done != tcs.Task)
        {
            _pending.TryRemove(id, out _);
            throw new TimeoutException($"no response to {iq}");
        }
        return await tcs.Task;
    }

    /// <summary>The next received stanza (other than IQ responses) that matches, within the timeout.</summary>
    public async Task<XElement> WaitForAsync(Func<XElement, bool> match, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
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
            throw new TimeoutException("no matching stanza arrived");
        }
    }

    private async Task WriteAsync(XElement stanza)
    {
        var buffer = new ArrayBufferWriter<byte>();
        StanzaSerializer.Write(stanza, Ns.Client, buffer);
        await WriteBytesAsync(buffer.WrittenMemory);
    }

    private Task WriteRawAsync(string text) => WriteBytesAsync(Encoding.UTF8.GetBytes(text));

    private async Task WriteBytesAsync(ReadOnlyMemory<byte> bytes)
    {
        await _write.WaitAsync();
        try { await _net.WriteAsync(bytes); }
        finally { _write.Release(); }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.Connected) await WriteRawAsync("</stream:stream>");
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
        }
        _socket.Dispose();
        if (_readLoop != null) await _readLoop;
    }
}
