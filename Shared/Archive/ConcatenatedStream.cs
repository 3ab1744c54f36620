namespace XmppGroupChat.Archive;

/// <summary>
/// Reads several byte arrays as one stream, without copying them into one buffer: a MAM page's
/// stored stanzas are parsed by one XmlReader in a single pass (see <see cref="StoredStanza.DecodeAll"/>).
/// </summary>
internal sealed class ConcatenatedStream(IReadOnlyList<byte[]> parts) : Stream
{
    private int _part;
    private int _offset;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length && _part < parts.Count)
        {
            var source = parts[_part].AsSpan(_offset);
            var n = Math.Min(source.Length, buffer.Length - written);
            source[..n].CopyTo(buffer[written..]);
            written += n;
            _offset += n;
            if (_offset == parts[_part].Length)
            {
                _part++;
                _offset = 0;
            }
        }
        return written;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
