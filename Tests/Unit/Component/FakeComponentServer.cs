using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using System.Xml;
using System.Xml.Linq;

namespace XmppGroupChat.Tests.Unit.Component;

/// <summary>
/// A scripted stand-in for the server's component port, on loopback: accepts the link, performs
/// (or refuses) the XEP-0114 handshake, then lets a test write raw bytes and read what the link sent.
/// </summary>
internal sealed class FakeComponentServer : IAsyncDisposable
{
    public const string Secret = "test-secret";
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Channel<FakeConnection> _accepted = Channel.CreateUnbounded<FakeConnection>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    public FakeComponentServer()
    {
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>What the next accepted connection answers to the handshake: null for success, or a stream error condition.</summary>
    public string? HandshakeError { get; set; }

    /// <summary>Optional bytes sent instead of the normal stream header (to test DTDs and the like).</summary>
    public string? HeaderOverride { get; set; }

    public int Connections { get; private set; }

    public async Task WaitForConnectionsAsync(int count)
    {
        for (var i = 0; i < 500 && Connections < count; i++) await Task.Delay(10);
        if (Connections < count) throw new TimeoutException($"only {Connections} connection(s)");
    }

    /// <summary>The next connection that got through the handshake (or was sent <see cref="HeaderOverride"/>).</summary>
    public async Task<FakeConnection> NextConnectionAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        return await _accepted.Reader.ReadAsync(cts.Token);
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                Connections++;
                var connection = new FakeConnection(socket);
                _ = HandshakeAsync(connection);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task HandshakeAsync(FakeConnection c)
    {
        try
        {
            await c.WaitForTextAsync("<stream:stream", TimeSpan.FromSeconds(5));
            await c.WaitForTextAsync(">", TimeSpan.FromSeconds(5));
            const string id = "stream-1234";
            await c.SendAsync(HeaderOverride ??
                $"<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:component:accept' id='{id}' from='mix.test'>");
            if (HeaderOverride != null)
            {
                _accepted.Writer.TryWrite(c);
                return;
            }
            await c.WaitForTextAsync("</handshake>", TimeSpan.FromSeconds(5));
            var expected = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(id + Secret)));
            if (HandshakeError != null)
            {
                await c.SendAsync($"<stream:error><{HandshakeError} xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>");
                c.Close();
                return;
            }
            else if (!c.Text.Contains($"<handshake>{expected}</handshake>"))
            {
                await c.SendAsync("<stream:error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>");
                c.Close();
                return;
            }
            else
            {
                c.ClearText();
                await c.SendAsync("<handshake/>");
            }
            _accepted.Writer.TryWrite(c);
        }
        catch (Exception ex) when (ex is IOException or SocketException or TimeoutException or ObjectDisposedException)
        {
            c.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _acceptLoop;
        while (_accepted.Reader.TryRead(out var c)) c.Close();
    }
}

/// <summary>One accepted link connection: raw text in both directions.</summary>
internal sealed class FakeConnection
{
    private readonly Socket _socket;
    private readonly StringBuilder _text = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FakeConnection(Socket socket)
    {
        _socket = socket;
        _ = ReadLoopAsync();
    }

    public string Text
    {
        get { lock (_text) return _text.ToString(); }
    }

    /// <summary>Completes when the link closes its side of the socket.</summary>
    public Task Closed => _closed.Task;

    public void ClearText()
    {
        lock (_text) _text.Clear();
    }

    public async Task SendAsync(string raw) => await _socket.SendAsync(Encoding.UTF8.GetBytes(raw));

    public async Task SendAsync(byte[] raw) => await _socket.SendAsync(raw);

    public async Task WaitForTextAsync(string fragment, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!Text.Contains(fragment, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"'{fragment}' not received; got: {Text}");
            await Task.Delay(10);
        }
    }

    /// <summary>
    /// The complete stanzas the link has sent since the handshake, read as the server would read
    /// them (default namespace jabber:component:accept); keepalives and the stream's end left out.
    /// </summary>
    public IReadOnlyList<XElement> Stanzas()
    {
        var names = new XmlNamespaceManager(new NameTable());
        names.AddNamespace("", "jabber:component:accept");
        names.AddNamespace("stream", "http://etherx.jabber.org/streams");
        var context = new XmlParserContext(null, names, null, XmlSpace.None);
        var settings = new XmlReaderSettings { ConformanceLevel = ConformanceLevel.Fragment };
        using var reader = XmlReader.Create(new StringReader(Text.Replace("</stream:stream>", "")), settings, context);
        var stanzas = new List<XElement>();
        try
        {
            reader.MoveToContent();
            while (!reader.EOF)
            {
                if (reader.NodeType == XmlNodeType.Element) stanzas.Add((XElement)XNode.ReadFrom(reader));
                else reader.Read();
            }
        }
        catch (XmlException)
        {
            // The last stanza is still arriving.
        }
        return stanzas;
    }

    /// <summary>The first stanza the link sent that matches, waiting for it to arrive.</summary>
    public async Task<XElement> WaitForStanzaAsync(Func<XElement, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (Stanzas().FirstOrDefault(match) is { } found) return found;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no matching stanza received; got: {Text}");
            await Task.Delay(10);
        }
    }

    /// <summary>The stanza the link sent with this id.</summary>
    public Task<XElement> WaitForIdAsync(string id, TimeSpan? timeout = null) =>
        WaitForStanzaAsync(s => (string?)s.Attribute("id") == id, timeout);

    public void Close()
    {
        try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        _socket.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[8192];
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[8192];
        try
        {
            while (true)
            {
                var n = await _socket.ReceiveAsync(buffer);
                if (n == 0) break;
                var c = decoder.GetChars(buffer, 0, n, chars, 0);
                lock (_text) _text.Append(chars, 0, c);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
        _closed.TrySetResult();
    }
}
