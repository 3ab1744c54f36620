using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace XmppGroupChat.Load;

public enum MarkerParse { Found, Incomplete, Invalid }

/// <summary>
/// The tag every load message carries at the start of its body: <c>~LT{phase}~{ticks}~</c>, the
/// measurement phase and the sender's <see cref="System.Diagnostics.Stopwatch"/> timestamp. It is
/// plain ASCII that no server escapes, so receivers can find it in the raw bytes of the stream.
/// </summary>
public static class Marker
{
    public static ReadOnlySpan<byte> Prefix => "~LT"u8;
    /// <summary>Prefix, up to 10 digits of phase, up to 19 of ticks, two separators.</summary>
    public const int MaxLength = 3 + 10 + 1 + 19 + 1;

    // Realistic chat-line length for every target alike; no character that XML would escape.
    private const string Filler = " load driver message, padded with ordinary text to the length of a typical chat line.";

    public static string Body(int phase, long ticks) =>
        string.Create(CultureInfo.InvariantCulture, $"~LT{phase}~{ticks}~{Filler}");

    /// <summary>Reads a marker at the start of <paramref name="s"/>, which begins with <see cref="Prefix"/>.</summary>
    public static MarkerParse TryParse(ReadOnlySpan<byte> s, out int phase, out long ticks, out int length)
    {
        phase = 0;
        ticks = 0;
        length = 0;
        var rest = s[Prefix.Length..];
        var p = Field(rest, 10, out var phaseValue, out var used);
        if (p != MarkerParse.Found) return p;
        rest = rest[used..];
        var t = Field(rest, 19, out var tickValue, out var used2);
        if (t != MarkerParse.Found) return t;
        if (phaseValue > int.MaxValue) return MarkerParse.Invalid;
        phase = (int)phaseValue;
        ticks = tickValue;
        length = Prefix.Length + used + used2;
        return MarkerParse.Found;
    }

    /// <summary>The marker at the start of a parsed body, if any.</summary>
    public static bool TryParse(string body, out int phase, out long ticks)
    {
        phase = 0;
        ticks = 0;
        if (!body.StartsWith("~LT", StringComparison.Ordinal)) return false;
        Span<byte> bytes = stackalloc byte[MaxLength];
        var n = Encoding.ASCII.GetBytes(body.AsSpan(0, Math.Min(body.Length, MaxLength)), bytes);
        return TryParse(bytes[..n], out phase, out ticks, out _) == MarkerParse.Found;
    }

    // Digits up to a '~'; Incomplete when the data ends first (the rest is in the next read).
    private static MarkerParse Field(ReadOnlySpan<byte> s, int maxDigits, out long value, out int used)
    {
        value = 0;
        used = 0;
        var end = s.IndexOf((byte)'~');
        if (end < 0)
        {
            foreach (var b in s)
                if (b is < (byte)'0' or > (byte)'9') return MarkerParse.Invalid;
            return s.Length > maxDigits ? MarkerParse.Invalid : MarkerParse.Incomplete;
        }
        if (end == 0 || end > maxDigits || !Utf8Parser.TryParse(s[..end], out value, out var consumed) || consumed != end || value < 0)
            return MarkerParse.Invalid;
        used = end + 1;
        return MarkerParse.Found;
    }
}
