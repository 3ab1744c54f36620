using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using System.Xml.Linq;
using Outbound = XmppGroupChat.Component.LinkSender.Outbound;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Component;

/// <summary>
/// One XEP-0114 link to the server for one component domain, kept up for the life of the
/// process. One read loop parses the socket; one writer drains a bounded outbound queue in
/// batches; one dispatcher hands inbound stanzas to the router in arrival order. The queues
/// outlive connections, so nothing queued is lost while the link reconnects.
/// </summary>
public sealed class ComponentLink : IStanzaSender
{
    private const int BatchBytes = 64 * 1024;
    private static readonly TimeSpan StableSession = TimeSpan.FromSeconds(10);

    private readonly ComponentOptions _options;
    private readonly LinkSender _sender;
    private readonly IInboundStanzas _handler;
    private readonly ILogger _logger;
    private readonly Channel<Outbound> _outbound;
    // A stanza, or null for the start of a connection (handed over in order with the stanzas).
    private readonly Channel<XElement?> _inbound;
    private readonly IqTracker _iqs;
    private bool _connectedBefore;
    private readonly ResiliencePipeline _reconnect;
    private readonly SemaphoreSlim _socketWrite = new(1, 1);
    private readonly List<Outbound> _unsent = new();
    private TaskCompletionSource _connected = NewSignal();
    private long _lastWriteTimestamp;
    // Failed connection attempts since the last successful handshake (what the log counts).
    private int _failedAttempts;

    private readonly LinkGroup? _group;

    /// <param name="sender">The link's outbound end, which the program's logic was built with.</param>
    /// <param name="handler">Where inbound stanzas go, in arrival order (a <see cref="Routing.StanzaDispatcher"/>).</param>
    public ComponentLink(ComponentOptions options, LinkSender sender, IInboundStanzas handler, ILogger logger, LinkGroup? group = null)
    {
        _group = group;
        options.Validate();
        _options = options;
        _sender = sender;
        _handler = handler;
        _logger = logger;
        Domain = sender.Domain;
        _outbound = sender.Queue;
        _iqs = sender.Iqs;
        _inbound = Channel.CreateBounded<XElement?>(new BoundedChannelOptions(options.ReceiveQueueCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _reconnect = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(ex =>
                ex is not ComponentConfigurationException and not OperationCanceledException),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.ReconnectBaseDelay,
            MaxDelay = options.ReconnectMaxDelay,
            // Polly's own attempt number keeps growing while sessions die young, which is what
            // backs off a flapping server; the log counts only the failed connections since the last
            // handshake, and says so when it was a session, not a connection, that was lost.
            OnRetry = args =>
            {
                if (args.Outcome.Exception is SessionLostException)
                    Log.ReconnectingAfterLoss(_logger, options.Domain, args.RetryDelay.TotalSeconds);
                else
                    Log.Reconnecting(_logger, options.Domain, options.Host, options.Port,
                        Describe(args.Outcome.Exception), ++_failedAttempts, args.RetryDelay.TotalSeconds);
                return default;
            },
        }).Build();
        group?.Add(this);
    }

    public Jid Domain { get; }
    public ComponentOptions Options => _options;
    public bool IsConnected { get; private set; }

    /// <summary>Completes when the link is (next) connected and authenticated.</summary>
    public Task WhenConnected => _connected.Task;

    public ValueTask SendAsync(XElement stanza, CancellationToken cancellationToken = default) => _sender.SendAsync(stanza, cancellationToken);

    public ValueTask SendSerializedAsync(ReadOnlyMemory<byte> utf8Stanza, CancellationToken cancellationToken = default) =>
        _sender.SendSerializedAsync(utf8Stanza, cancellationToken);

    public Task<XElement> RequestAsync(XElement iq, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        _sender.RequestAsync(iq, timeout, cancellationToken);

    /// <summary>
    /// Keeps the link up until <paramref name="stoppingToken"/> fires, then flushes the queue and
    /// closes the stream. Throws <see cref="ComponentConfigurationException"/> when the server
    /// refuses the handshake because the secret or domain is wrong: retrying cannot fix that. A
    /// stream error after a successful handshake, whatever its condition, is a lost session and is
    /// reconnected: the next handshake tells whether the configuration is at fault.
    /// </summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        var dispatcher = Task.Run(() => DispatchLoopAsync(stoppingToken), CancellationToken.None);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
                await _reconnect.ExecuteAsync(ct => SessionAsync(stoppingToken), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (ComponentConfigurationException ex)
        {
            Log.ConfigurationError(_logger, _options.Domain, ex.Message);
            throw;
        }
        finally
        {
            _inbound.Writer.TryComplete();
            await dispatcher.ConfigureAwait(false);
        }
    }

    private async ValueTask SessionAsync(CancellationToken stop)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await using var net = await ConnectAsync(socket, stop);
        using var reader = new XmppStreamReader(net, _options.Limits);
        await HandshakeAsync(socket, net, reader, stop);

        _failedAttempts = 0;
        var started = Stopwatch.GetTimestamp();
        IsConnected = true;
        _connected.TrySetResult();
        Log.Connected(_logger, _options.Host, _options.Port, _options.Domain);
        // The handler hears of the connection in order with the stanzas around it.
        await _inbound.Writer.WriteAsync(null, stop);

        // Not linked to stop: on shutdown the writer still has to flush and close the stream.
        using var session = new CancellationTokenSource();
        var readLoop = ReadLoopAsync(reader, net, session.Token);
        var writeLoop = WriteLoopAsync(net, stop, session.Token);
        var first = await Task.WhenAny(readLoop, writeLoop);
        if (first == readLoop)
        {
            session.Cancel(); // the writer may be waiting for work that will never be sent
            if (readLoop.IsCompletedSuccessfully)
            {
                // The server closed the stream in order: once the writer has stopped, close ours too.
                await Task.WhenAny(writeLoop, Task.Delay(_options.ShutdownTimeout, CancellationToken.None));
                await CloseStreamAsync(net, null, null);
            }
        }
        else if (writeLoop.IsCompletedSuccessfully)
        {
            // Orderly shutdown: our </stream:stream> is out; give the server a moment to close its side.
            await Task.WhenAny(readLoop, Task.Delay(_options.ShutdownTimeout, CancellationToken.None));
        }
        IsConnected = false;
        _connected = NewSignal();
        session.Cancel();
        socket.Close(); // unblocks the parser, which cannot be cancelled otherwise
        var readFailure = await Outcome(readLoop);
        var writeFailure = await Outcome(writeLoop);
        // The loop that ended first says why; the other one only stopped because of it.
        var failure = first == readLoop ? readFailure : writeFailure ?? readFailure;

        if (stop.IsCancellationRequested && failure is null or OperationCanceledException or IOException or ObjectDisposedException)
        {
            Log.Closed(_logger, _options.Domain);
            return;
        }

        var reason = failure is null ? "the server closed the stream" : Describe(failure);
        Log.Disconnected(_logger, _options.Domain, reason);
        // A session that lasted reconnects at once with a fresh backoff; one that dies young is
        // retried with the growing backoff, so a server that drops every session is not hammered.
        if (Stopwatch.GetElapsedTime(started) < StableSession)
            throw new SessionLostException(reason, failure);
        Log.ReconnectingAfterLoss(_logger, _options.Domain, 0);
    }

    private async Task<Stream> ConnectAsync(Socket socket, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(_options.Host, _options.Port, timeout.Token);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            throw new TimeoutException($"connect timed out after {_options.ConnectTimeout.TotalSeconds:0} s");
        }
        return new NetworkStream(socket, ownsSocket: false);
    }

    private async Task HandshakeAsync(Socket socket, Stream net, XmppStreamReader reader, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(_options.ConnectTimeout);
        // The parser cannot be cancelled; closing the socket is what unblocks it.
        await using var _ = timeout.Token.Register(socket.Dispose);
        try
        {
            var header = $"<?xml version='1.0'?><stream:stream xmlns='{Ns.Component.NamespaceName}' " +
                         $"xmlns:stream='{Ns.Stream.NamespaceName}' to='{_options.Domain}'>";
            await net.WriteAsync(Encoding.UTF8.GetBytes(header), timeout.Token);
            var serverHeader = await reader.ReadStreamHeaderAsync();
            var streamId = (string?)serverHeader.Attribute("id");
            if (string.IsNullOrEmpty(streamId))
            {
                // Some servers answer a bad 'to' with a header and an immediate error.
                var early = await reader.ReadElementAsync();
                if (early?.Name == Ns.Stream + "error")
                {
                    var (c, t) = StreamErrorCondition.Parse(early);
                    throw Classify(new StreamErrorReceivedException(c, t));
                }
                throw new IOException("the server's stream header has no id");
            }

            var digest = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(streamId + _options.Secret)));
            await net.WriteAsync(Encoding.UTF8.GetBytes($"<handshake>{digest}</handshake>"), timeout.Token);
            var answer = await reader.ReadElementAsync()
                         ?? throw new IOException("the server closed the stream during the handshake");
            if (answer.Name == Ns.Stream + "error")
            {
                var (c, t) = StreamErrorCondition.Parse(answer);
                throw Classify(new StreamErrorReceivedException(c, t));
            }
            if (answer.Name.LocalName != "handshake")
                throw new IOException($"expected <handshake/>, got <{answer.Name.LocalName}/>");
        }
        catch (StreamViolationException ex)
        {
            Log.StreamViolation(_logger, _options.Domain, ex.Condition, ex.Message);
            await CloseStreamAsync(net, ex.Condition, ex.Message);
            throw;
        }
        catch (Exception ex) when (timeout.IsCancellationRequested && !stop.IsCancellationRequested
                                   && ex is ObjectDisposedException or IOException or OperationCanceledException or SocketException)
        {
            throw new TimeoutException($"no handshake answer within {_options.ConnectTimeout.TotalSeconds:0} s");
        }
        _lastWriteTimestamp = Stopwatch.GetTimestamp();
    }

    private Exception Classify(StreamErrorReceivedException ex) => StreamErrorCondition.IsConfigurationError(ex.Condition)
        ? new ComponentConfigurationException(ex.Condition == StreamErrorCondition.NotAuthorized
            ? $"the server refused the handshake for {_options.Domain} (<not-authorized/>): the secret does not match the server's configuration"
            : $"the server does not know the component domain {_options.Domain} (<host-unknown/>): check Component:Domain and the server's component entry")
        : ex;

    private async Task ReadLoopAsync(XmppStreamReader reader, Stream net, CancellationToken session)
    {
        try
        {
            while (true)
            {
                var element = await reader.ReadElementAsync();
                if (element is null) return;
                if (_logger.IsEnabled(LogLevel.Trace))
                    Log.Received(_logger, _options.Domain, StanzaSerializer.ToXmlString(element));
                if (element.Name == Ns.Stream + "error")
                {
                    var (condition, text) = StreamErrorCondition.Parse(element);
                    throw new StreamErrorReceivedException(condition, text);
                }
                if (TryCompleteRequest(element))
                    continue;
                if (_group != null && await _group.TryRedirectAsync(this, element, _logger, session))
                    continue;
                await _inbound.Writer.WriteAsync(element, session);
            }
        }
        catch (StreamViolationException ex)
        {
            Log.StreamViolation(_logger, _options.Domain, ex.Condition, ex.Message);
            await CloseStreamAsync(net, ex.Condition, ex.Message);
            throw;
        }
    }

    /// <summary>Hands an IQ response to the request waiting for it; a response too large to take fails that request.</summary>
    private bool TryCompleteRequest(XElement element)
    {
        if (element.GetKind() != StanzaKind.Iq || !element.IsResponse()) return false;
        if (SkippedStanza.ReasonFor(element) is not { } reason) return _iqs.TryComplete(element);
        if (!_iqs.TryFail(element, new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.PolicyViolation, reason))))
            return false;
        Log.Rejected(_logger, _options.Domain, element.Name.LocalName, (string?)element.Attribute("from"),
            StanzaErrorCondition.PolicyViolation.ToXmlName(), reason);
        return true;
    }

    /// <summary>Writes our &lt;/stream:stream&gt;, after a stream error when <paramref name="condition"/> is set.</summary>
    private async Task CloseStreamAsync(Stream net, string? condition, string? text)
    {
        var bytes = new ArrayBufferWriter<byte>(256);
        if (condition is not null)
            StanzaSerializer.Write(StreamErrorCondition.Build(condition, text), Ns.Component, bytes);
        StanzaSerializer.Raw(bytes, "</stream:stream>");
        if (!await _socketWrite.WaitAsync(TimeSpan.FromSeconds(1))) return;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await net.WriteAsync(bytes.WrittenMemory, cts.Token);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The peer is already gone; the violation is logged either way.
        }
        finally
        {
            _socketWrite.Release();
        }
    }

    private async Task WriteLoopAsync(Stream net, CancellationToken stop, CancellationToken session)
    {
        var buffer = new ArrayBufferWriter<byte>(BatchBytes);
        var batch = new List<Outbound>();
        var queue = _outbound.Reader;
        using var waitCancel = CancellationTokenSource.CreateLinkedTokenSource(stop, session);
        using var keepalive = new PeriodicTimer(_options.KeepaliveInterval);
        var keepaliveTick = keepalive.WaitForNextTickAsync(waitCancel.Token).AsTask();

        // Stanzas whose write failed on the previous connection go first, in their order.
        foreach (var item in _unsent)
        {
            batch.Add(item);
            Serialize(item, buffer);
        }
        _unsent.Clear();
        try
        {
            while (true)
            {
                if (batch.Count == 0)
                {
                    // Only this wait observes stop: a batch already started is always written whole.
                    var ready = queue.WaitToReadAsync(waitCancel.Token).AsTask();
                    await Task.WhenAny(ready, keepaliveTick);
                    if (stop.IsCancellationRequested) break;
                    if (keepaliveTick.IsCompleted)
                    {
                        if (!await keepaliveTick) break;
                        keepaliveTick = keepalive.WaitForNextTickAsync(waitCancel.Token).AsTask();
                        if (Stopwatch.GetElapsedTime(_lastWriteTimestamp) >= _options.KeepaliveInterval)
                            await WriteAsync(net, " "u8.ToArray(), session);
                        if (!ready.IsCompleted) continue;
                    }
                    if (!await ready) break; // queue completed: nothing more will ever be sent
                }
                while (buffer.WrittenCount < BatchBytes && queue.TryRead(out var item))
                {
                    batch.Add(item);
                    Serialize(item, buffer);
                }
                await WriteAsync(net, buffer.WrittenMemory, session);
                batch.Clear();
                buffer.ResetWrittenCount();
            }
        }
        catch (Exception) when (batch.Count > 0)
        {
            _unsent.AddRange(batch);
            Log.Requeued(_logger, _options.Domain, batch.Count);
            throw;
        }

        // Shutdown: flush what is already queued, then close our side of the stream.
        buffer.ResetWrittenCount();
        while (queue.TryRead(out var item)) Serialize(item, buffer);
        StanzaSerializer.Raw(buffer, "</stream:stream>");
        using var flush = new CancellationTokenSource(_options.ShutdownTimeout);
        await WriteAsync(net, buffer.WrittenMemory, flush.Token);
    }

    private static void Serialize(Outbound item, ArrayBufferWriter<byte> buffer)
    {
        if (item.Stanza is { } stanza) StanzaSerializer.Write(stanza, Ns.Component, buffer);
        else buffer.Write(item.Serialized.Span);
    }

    private async Task WriteAsync(Stream net, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        await _socketWrite.WaitAsync(ct);
        try
        {
            await net.WriteAsync(bytes, ct);
            _lastWriteTimestamp = Stopwatch.GetTimestamp();
        }
        finally
        {
            _socketWrite.Release();
        }
    }

    /// <summary>Takes a stanza for this link's domain that arrived on another link of the process.</summary>
    internal async ValueTask AcceptAsync(XElement stanza, CancellationToken ct)
    {
        if (TryCompleteRequest(stanza)) return;
        await _inbound.Writer.WriteAsync(stanza, ct);
    }

    /// <summary>
    /// Queues an answer from <paramref name="routedDomain"/>, a domain the server routes over this
    /// connection though no link of the process owns it. ejabberd authorises a connection for every
    /// host of its listener, so such a 'from' is accepted; Prosody never routes a foreign domain here.
    /// </summary>
    internal ValueTask SendFromRoutedDomainAsync(XElement stanza, string routedDomain, CancellationToken ct)
    {
        var from = (string?)stanza.Attribute("from");
        if (from is null || !IsInDomain(from, routedDomain))
            throw new ArgumentException($"an answer for {routedDomain} must have a 'from' in that domain (got '{from}')");
        return _outbound.Writer.WriteAsync(new Outbound(stanza, default), ct);
    }

    private async Task DispatchLoopAsync(CancellationToken stop)
    {
        try
        {
            await foreach (var stanza in _inbound.Reader.ReadAllAsync(stop))
            {
                try
                {
                    if (stanza is null)
                    {
                        await _handler.LinkUpAsync(new Routing.LinkUp(_connectedBefore), stop);
                        _connectedBefore = true;
                    }
                    else await _handler.DispatchAsync(stanza, stop);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    // The dispatcher answers handler failures itself; this only catches a failure to
                    // send that answer. One stanza must never stop the dispatch loop.
                    Log.HandlerFailed(_logger, ex, _options.Domain, stanza?.Name.LocalName ?? "link-up", (string?)stanza?.Attribute("from"));
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Whether a JID string is the domain or an address in it (cheap: no full parse).</summary>
    public static bool IsInDomain(string jid, string domain)
    {
        var slash = jid.IndexOf('/');
        var bare = slash < 0 ? jid.AsSpan() : jid.AsSpan(0, slash);
        var at = bare.IndexOf('@');
        var host = at < 0 ? bare : bare[(at + 1)..];
        return host.Equals(domain, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<Exception?> Outcome(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private static string Describe(Exception? ex) => ex switch
    {
        null => "unknown",
        SocketException se => se.SocketErrorCode == SocketError.ConnectionRefused ? "connection refused" : se.Message,
        IOException { InnerException: SocketException se } => se.Message,
        _ => ex.Message,
    };

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>An authenticated session ended soon after it began: reconnected with the growing backoff.</summary>
    private sealed class SessionLostException(string reason, Exception? inner) : IOException(reason, inner);
}
