using System.Xml.Linq;
using XmppGroupChat.Component;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Integration.Infrastructure.Federation;

/// <summary>
/// Reads a copy of one direction of an s2s connection with the suite's own stream reader and
/// reports each top-level element. <see cref="FeedAsync"/> returns once the reader has taken
/// every byte fed so far, so the proxy forwards a chunk only after the elements it completes are
/// recorded: a test that saw a message arrive always finds it in the log.
/// </summary>
internal sealed class StanzaTap : Stream
{
    // Generous caps: the tap must never be the thing that refuses a stanza the servers accept.
    private const int MaxStanzaBytes = 16 << 20;
    private const int MaxDepth = 512;
    private static readonly TimeSpan ParserStall = TimeSpan.FromSeconds(5);

    private readonly object _gate = new();
    private readonly Queue<byte[]> _chunks = new();
    private readonly Action<XElement> _onElement;
    private readonly Action<string> _onTrouble;
    private byte[]? _current;
    private int _offset;
    private bool _ended;
    private bool _dead;
    private TaskCompletionSource _dataArrived = NewSignal();
    private TaskCompletionSource? _drained;

    public StanzaTap(Action<XElement> onElement, Action<string> onTrouble)
    {
        _onElement = onElement;
        _onTrouble = onTrouble;
        _ = Task.Run(ParseAsync);
    }

    /// <summary>Hands the reader a copy of <paramref name="bytes"/> and waits until it has read them.</summary>
    public async Task FeedAsync(ReadOnlyMemory<byte> bytes)
    {
        Task drained;
        lock (_gate)
        {
            if (_dead || _ended) return;
            _chunks.Enqueue(bytes.ToArray());
            _drained ??= NewSignal();
            drained = _drained.Task;
            _dataArrived.TrySetResult();
        }
        if (await Task.WhenAny(drained, Task.Delay(ParserStall)) != drained)
            Die($"the stanza reader took no bytes for {ParserStall.TotalSeconds} s; counting stopped on this connection");
    }

    /// <summary>The connection closed in this direction.</summary>
    public void End()
    {
        lock (_gate)
        {
            _ended = true;
            _dataArrived.TrySetResult();
        }
    }

    private async Task ParseAsync()
    {
        try
        {
            using var reader = new XmppStreamReader(this, MaxStanzaBytes, MaxDepth);
            await reader.ReadStreamHeaderAsync();
            while (await reader.ReadElementAsync() is { } element) _onElement(element);
        }
        catch (EndOfStreamException)
        {
        }
        catch (Exception ex)
        {
            // A connection cut in the middle of a stanza, or XML the reader refuses: stop counting, keep forwarding.
            if (!_ended) _onTrouble($"stanza reader stopped: {ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            Die(null);
        }
    }

    private void Die(string? why)
    {
        lock (_gate)
        {
            if (_dead) return;
            _dead = true;
            _chunks.Clear();
            _drained?.TrySetResult();
        }
        if (why != null) _onTrouble(why);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                while (_current is null || _offset == _current.Length)
                {
                    if (!_chunks.TryDequeue(out _current))
                    {
                        _current = null;
                        break;
                    }
                    _offset = 0;
                }
                if (_current != null)
                {
                    var n = Math.Min(buffer.Length, _current.Length - _offset);
                    _current.AsMemory(_offset, n).CopyTo(buffer);
                    _offset += n;
                    return n;
                }
                if (_ended || _dead) return 0;
                // Everything fed has been taken: let the proxy forward it.
                _drained?.TrySetResult();
                _drained = null;
                if (_dataArrived.Task.IsCompleted) _dataArrived = NewSignal();
                wait = _dataArrived.Task;
            }
            await wait.WaitAsync(cancellationToken);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // The XML reader may read synchronously; it runs on its own task, so blocking here holds up nobody.
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
