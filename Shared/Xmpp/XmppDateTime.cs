using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace XmppGroupChat.Xmpp;

/// <summary>The XEP-0082 DateTime profile: CCYY-MM-DDThh:mm:ss[.sss]TZD.</summary>
public static class XmppDateTime
{
    /// <summary>Formats as UTC with 'Z', with milliseconds only when they are not zero (finer precision is dropped).</summary>
    public static string Format(DateTimeOffset t)
    {
        var utc = t.UtcDateTime;
        return utc.Millisecond == 0
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>Parses a DateTime with any number of fractional digits and a 'Z' or ±hh:mm zone; the result is in UTC.</summary>
    /// <exception cref="FormatException">The text is not a XEP-0082 DateTime.</exception>
    public static DateTimeOffset Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (!TryParse(s, out var value))
            throw new FormatException($"'{s}' is not a XEP-0082 DateTime (CCYY-MM-DDThh:mm:ss[.sss]TZD).");
        return value;
    }

    public static bool TryParse([NotNullWhen(true)] string? s, out DateTimeOffset value)
    {
        value = default;
        if (s is null)
            return false;
        var span = s.AsSpan();
        // Fixed-position fields; hand-written because this runs for every stamp in history and archive traffic.
        if (span.Length < 20 || span[4] != '-' || span[7] != '-' || (span[10] | 0x20) != 't' || span[13] != ':' || span[16] != ':')
            return false;
        if (!TryDigits(span.Slice(0, 4), out int year) || !TryDigits(span.Slice(5, 2), out int month)
            || !TryDigits(span.Slice(8, 2), out int day) || !TryDigits(span.Slice(11, 2), out int hour)
            || !TryDigits(span.Slice(14, 2), out int minute) || !TryDigits(span.Slice(17, 2), out int second))
            return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
            return false;

        int pos = 19;
        long fractionTicks = 0;
        if (span[pos] == '.')
        {
            int start = ++pos;
            long scale = TimeSpan.TicksPerSecond;
            while (pos < span.Length && char.IsAsciiDigit(span[pos]))
            {
                // Digits beyond the 100 ns tick resolution are read but ignored.
                if (scale > 1)
                {
                    scale /= 10;
                    fractionTicks += (span[pos] - '0') * scale;
                }
                pos++;
            }
            if (pos == start)
                return false;
        }

        if (!TryParseZone(span[pos..], out var offset))
            return false;
        try
        {
            var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fractionTicks);
            value = new DateTimeOffset(local, offset).ToUniversalTime();
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            // Only reachable at the edges of the calendar, e.g. 0001-01-01T00:00:00+01:00.
            return false;
        }
    }

    private static bool TryParseZone(ReadOnlySpan<char> zone, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (zone.Length == 1)
            return (zone[0] | 0x20) == 'z';
        if (zone.Length != 6 || zone[0] is not ('+' or '-') || zone[3] != ':')
            return false;
        if (!TryDigits(zone.Slice(1, 2), out int hours) || !TryDigits(zone.Slice(4, 2), out int minutes)
            || hours > 14 || minutes > 59)
            return false;
        offset = new TimeSpan(hours, minutes, 0);
        if (zone[0] == '-')
            offset = -offset;
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
                return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }
}
