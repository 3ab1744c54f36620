using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace XmppGroupChat.Xmpp;

/// <summary>
/// Validation and normalisation of the three JID parts (RFC 7622). Each method returns an error description,
/// or null with the normalised part. ASCII input, the overwhelming majority on the wire, takes an
/// allocation-light fast path: it needs no Unicode normalisation and at most an ASCII lower-casing.
/// </summary>
internal static class JidParts
{
    public const int MaxPartBytes = 1023;

    // Vectorised scans for the ASCII fast paths.
    private static readonly SearchValues<char> AsciiControls = SearchValues.Create(AsciiControlsAnd(""));

    // RFC 7622 §3.3.1: these ASCII characters may not appear in a localpart (the reason XEP-0106 exists).
    private static readonly SearchValues<char> AsciiLocalForbidden = SearchValues.Create(AsciiControlsAnd("\"&'/:<>@ "));

    private static readonly SearchValues<char> AsciiHostname = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._");

    public static string? NormalizeLocal(ReadOnlySpan<char> part, out string? result)
    {
        result = null;
        if (part.IsEmpty)
            return "the localpart is empty";
        if (Ascii.IsValid(part))
        {
            if (part.Length > MaxPartBytes)
                return $"the localpart is {part.Length} bytes long, more than {MaxPartBytes}";
            int bad = part.IndexOfAny(AsciiLocalForbidden);
            if (bad >= 0)
                return $"the localpart contains the forbidden character {Describe(part[bad])}";
            result = ToLowerAscii(part);
            return null;
        }

        // NFKC may turn look-alikes (e.g. a full-width '@') into forbidden characters, so validate afterwards.
        var normalized = Normalize(part, NormalizationForm.FormKC)?.ToLowerInvariant();
        if (normalized is null)
            return "the localpart is not valid UTF-16 text";
        var err = CheckUtf8Length("localpart", normalized) ?? CheckLocalChars(normalized);
        if (err is not null)
            return err;
        result = normalized;
        return null;
    }

    public static string? NormalizeDomain(ReadOnlySpan<char> part, out string? result)
    {
        result = null;
        // One trailing dot denotes the same (fully qualified) domain.
        if (part.Length > 1 && part[^1] == '.')
            part = part[..^1];
        if (part.IsEmpty || (part.Length == 1 && part[0] == '.'))
            return "the domainpart is empty";

        if (part[0] == '[')
            return NormalizeIpv6Literal(part, out result);

        bool ascii = Ascii.IsValid(part);
        if (ascii ? part.Length > MaxPartBytes : Encoding.UTF8.GetByteCount(part) > MaxPartBytes)
            return $"the domainpart is longer than {MaxPartBytes} bytes";

        if (part[0] == '.' || part.IndexOf("..") >= 0)
            return "the domainpart has an empty label";
        if (ascii)
        {
            int bad = part.IndexOfAnyExcept(AsciiHostname);
            if (bad >= 0)
                return $"the domainpart contains the forbidden character {Describe(part[bad])}";
        }
        else
        {
            foreach (var c in part)
            {
                if (c < 0x80 ? !AsciiHostname.Contains(c) : char.IsWhiteSpace(c) || char.IsControl(c))
                    return $"the domainpart contains the forbidden character {Describe(c)}";
            }
            if (HasLoneSurrogate(part))
                return "the domainpart is not valid UTF-16 text";
        }

        result = ascii ? ToLowerAscii(part) : part.ToString().ToLowerInvariant();
        return null;
    }

    public static string? NormalizeResource(ReadOnlySpan<char> part, out string? result)
    {
        result = null;
        if (part.IsEmpty)
            return "the resourcepart is empty";
        if (Ascii.IsValid(part))
        {
            if (part.Length > MaxPartBytes)
                return $"the resourcepart is {part.Length} bytes long, more than {MaxPartBytes}";
            int bad = part.IndexOfAny(AsciiControls);
            if (bad >= 0)
                return $"the resourcepart contains the control character {Describe(part[bad])}";
            result = part.ToString();
            return null;
        }

        var normalized = Normalize(part, NormalizationForm.FormC);
        if (normalized is null)
            return "the resourcepart is not valid UTF-16 text";
        var err = CheckUtf8Length("resourcepart", normalized) ?? CheckResourceChars(normalized);
        if (err is not null)
            return err;
        result = normalized;
        return null;
    }

    private static string? NormalizeIpv6Literal(ReadOnlySpan<char> part, out string? result)
    {
        result = null;
        if (part.Length < 3 || part[^1] != ']')
            return "the domainpart starts with '[' but is not a bracketed IPv6 address";
        if (!IPAddress.TryParse(part[1..^1], out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            return "the domainpart is not a valid IPv6 address literal";
        result = ToLowerAscii(part);
        return null;
    }

    private static string? CheckLocalChars(ReadOnlySpan<char> part)
    {
        foreach (var c in part)
        {
            switch (c)
            {
                case '"' or '&' or '\'' or '/' or ':' or '<' or '>' or '@':
                    return $"the localpart contains the forbidden character {Describe(c)}";
                default:
                    if (char.IsWhiteSpace(c) || char.IsControl(c))
                        return $"the localpart contains the forbidden character {Describe(c)}";
                    break;
            }
        }
        return null;
    }

    private static string? CheckResourceChars(ReadOnlySpan<char> part)
    {
        foreach (var c in part)
        {
            if (char.IsControl(c))
                return $"the resourcepart contains the control character {Describe(c)}";
        }
        return null;
    }

    private static string AsciiControlsAnd(string extra)
    {
        var chars = new char[0x20 + 1 + extra.Length];
        for (int i = 0; i < 0x20; i++)
            chars[i] = (char)i;
        chars[0x20] = '\u007F';
        extra.CopyTo(0, chars, 0x21, extra.Length);
        return new string(chars);
    }

    private static string? CheckUtf8Length(string partName, string part)
    {
        int bytes = Encoding.UTF8.GetByteCount(part);
        return bytes > MaxPartBytes ? $"the {partName} is {bytes} bytes long, more than {MaxPartBytes}" : null;
    }

    private static string? Normalize(ReadOnlySpan<char> part, NormalizationForm form)
    {
        if (HasLoneSurrogate(part))
            return null;
        var s = part.ToString();
        return s.IsNormalized(form) ? s : s.Normalize(form);
    }

    private static bool HasLoneSurrogate(ReadOnlySpan<char> part)
    {
        for (int i = 0; i < part.Length; i++)
        {
            char c = part[i];
            if (char.IsHighSurrogate(c) && i + 1 < part.Length && char.IsLowSurrogate(part[i + 1]))
                i++;
            else if (char.IsSurrogate(c))
                return true;
        }
        return false;
    }

    // Avoids the second allocation of ToLowerInvariant when the part is already lower-case.
    private static string ToLowerAscii(ReadOnlySpan<char> part)
    {
        if (part.IndexOfAnyInRange('A', 'Z') < 0)
            return part.ToString();
        return string.Create(part.Length, part, static (span, src) => Ascii.ToLower(src, span, out _));
    }

    private static string Describe(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}'";
}
