namespace XmppGroupChat.Component;

/// <summary>
/// Wraps the socket stream and refuses to hand the XML parser more than a set number of bytes
/// per stanza window. XmlReader materialises a whole text node before returning it, so the cap
/// must be enforced underneath it: otherwise one 100 MB body would be buffered before any check.
/// </summary>
internal sealed class LimitedReadStream(Stream inner, long windowBytes) : Stream
{
    // The parser reads ahead in blocks, so a window ends up to one block after the stanza that
    // opened it. This slack keeps a stanza of exactly the cap from being refused for read-ahead.
    private const int ReadAheadSlack = 64 * 1024;
    private long _total;
    private long _limit = windowBytes + ReadAheadSlack;

    public long TotalRead => _total;

    /// <summary>True once the peer has closed its side: a parse error after that is a cut connection, not bad XML.</summary>
    public bool Ended { get; private set; }

    /// <summary>Called after each complete stanza: the next one gets a fresh allowance.</summary>
    public void StartWindow() => _limit = _total + windowBytes + ReadAheadSlack;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(Clamp(buffer));
        return Count(n);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(Clamp(buffer), cancellationToken).ConfigureAwait(false);
        return Count(n);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private Span<byte> Clamp(Span<byte> buffer) => buffer[..Allowance(buffer.Length)];
    private Memory<byte> Clamp(Memory<byte> buffer) => buffer[..Allowance(buffer.Length)];

    private int Allowance(int wanted)
    {
        var left = _limit - _total;
        if (left <= 0)
            throw new StreamViolationException(StreamErrorCondition.PolicyViolation,
                $"stanza larger than {windowBytes} bytes");
        return (int)Math.Min(wanted, left);
    }

    private int Count(int n)
    {
        if (n == 0) Ended = true;
        _total += n;
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _total; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
