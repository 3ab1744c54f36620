namespace XmppGroupChat.Load;

/// <summary>
/// Finds <see cref="Marker"/>s in a client's raw inbound bytes, read by read, including markers
/// split across two reads. This is how an occupant counts deliveries during a measurement: a byte
/// search costs the driver far less CPU than parsing every stanza, and the driver shares the
/// machine with the server it measures.
/// </summary>
public sealed class MarkerScanner(int maxRead)
{
    private readonly byte[] _work = new byte[Marker.MaxLength + maxRead];
    private int _carry;

    /// <summary>Reports each complete marker in <paramref name="data"/> (plus what the last call left over).</summary>
    public void Scan(ReadOnlySpan<byte> data, Action<int, long> found)
    {
        data.CopyTo(_work.AsSpan(_carry));
        var span = _work.AsSpan(0, _carry + data.Length);
        _carry = 0;
        var pos = 0;
        while (true)
        {
            var rest = span[pos..];
            var at = rest.IndexOf(Marker.Prefix);
            if (at < 0)
            {
                // Keep a trailing "~" or "~L": the start of a prefix that the next read completes.
                var keep = rest.EndsWith("~L"u8) ? 2 : rest.EndsWith("~"u8) ? 1 : 0;
                Carry(rest[^keep..]);
                return;
            }
            switch (Marker.TryParse(rest[at..], out var phase, out var ticks, out var length))
            {
                case MarkerParse.Found:
                    found(phase, ticks);
                    pos += at + length;
                    break;
                case MarkerParse.Incomplete:
                    Carry(rest[at..]);
                    return;
                default:
                    pos += at + Marker.Prefix.Length;
                    break;
            }
        }
    }

    private void Carry(ReadOnlySpan<byte> tail)
    {
        tail.CopyTo(_work);
        _carry = tail.Length;
    }
}
