namespace XmppGroupChat.Component;

/// <summary>
/// Wraps the socket stream, counts the bytes of each stanza window and refuses to hand the XML
/// parser more than a hard cap per window. XmlReader materialises a whole start tag (every
/// attribute value) before returning it, so the hard cap must be enforced underneath it:
/// otherwise one 100 MB attribute would be buffered before any check could run.
/// </summary>
/// <remarks>
/// Each read is clamped to <see cref="ReadChunk"/> bytes, so the parser never holds much more than
/// that beyond the node it returned: <see cref="WindowBytes"/> is then within
/// <see cref="ReadAheadSlack"/> of the bytes the current stanza really has on the wire, which is
/// what lets the reader apply the per-stanza cap as a stanza error rather than a stream error.
/// </remarks>
internal sealed class LimitedReadStream(Stream inner, long hardWindowBytes) : Stream
{
    /// <summary>Largest single read handed to the parser.</summary>
    public const int ReadChunk = 4096;

    /// <summary>
    /// How far the byte count of a window can be off, either way, from the stanza it belongs to:
    /// the parser's undecoded bytes plus its decoded but unparsed characters, one chunk each.
    /// </summary>
    public const int ReadAheadSlack = 2 * ReadChunk;

    private long _total;
    private long _windowStart;
    private long _limit = hardWindowBytes + ReadAheadSlack;

    public long TotalRead => _total;

    /// <summary>Bytes read since the current window started (the stanza being read, give or take <see cref="ReadAheadSlack"/>).</summary>
    public long WindowBytes => _total - _windowStart;

    /// <summary>True once the peer has closed its side: a parse error after that is a cut connection, not bad XML.</summary>
    public bool Ended { get; private set; }

    /// <summary>Called after each complete stanza: the next one gets a fresh allowance.</summary>
    public void StartWindow()
    {
        _windowStart = _total;
        _limit = _total + hardWindowBytes + ReadAheadSlack;
    }

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
                $"stanza larger than {hardWindowBytes} bytes, the most this link takes from a server");
        return (int)Math.Min(Math.Min(wanted, ReadChunk), left);
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
