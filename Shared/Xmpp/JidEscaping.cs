using System.Text;

namespace XmppGroupChat.Xmpp;

/// <summary>
/// XEP-0106 JID escaping of localparts: lets characters that RFC 7622 forbids in a localpart (space, " &amp; ' / : &lt; &gt; @)
/// travel as \hexhex sequences, e.g. a room address used as the localpart of a mirror's proxy address.
/// </summary>
public static class JidEscaping
{
    /// <summary>Escapes a human-form localpart for the wire.</summary>
    /// <exception cref="ArgumentException">The localpart starts or ends with a space (XEP-0106 forbids a leading or trailing \20).</exception>
    public static string Escape(string localpart)
    {
        ArgumentNullException.ThrowIfNull(localpart);
        if (localpart.Length > 0 && (localpart[0] == ' ' || localpart[^1] == ' '))
            throw new ArgumentException("A localpart to escape must not start or end with a space (XEP-0106 forbids a leading or trailing \\20).", nameof(localpart));

        int first = IndexOfEscapable(localpart, 0);
        if (first < 0)
            return localpart;

        var sb = new StringBuilder(localpart.Length + 8);
        sb.Append(localpart, 0, first);
        for (int i = first; i < localpart.Length; i++)
        {
            char c = localpart[i];
            var code = CodeFor(c);
            // The escape character itself is only escaped where it would otherwise be read as an escape sequence.
            if (code is not null && (c != '\\' || StartsEscapeSequence(localpart, i)))
                sb.Append('\\').Append(code);
            else
                sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Turns the wire form back into the human form; sequences that are not XEP-0106 escapes are left alone.</summary>
    public static string Unescape(string localpart)
    {
        ArgumentNullException.ThrowIfNull(localpart);
        int first = localpart.IndexOf('\\');
        if (first < 0)
            return localpart;

        var sb = new StringBuilder(localpart.Length);
        sb.Append(localpart, 0, first);
        for (int i = first; i < localpart.Length; i++)
        {
            char c = localpart[i];
            if (c == '\\' && i + 2 < localpart.Length && TryDecode(localpart[i + 1], localpart[i + 2], out var decoded))
            {
                sb.Append(decoded);
                i += 2;
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    private static int IndexOfEscapable(string s, int start)
    {
        for (int i = start; i < s.Length; i++)
        {
            if (CodeFor(s[i]) is not null)
                return i;
        }
        return -1;
    }

    private static bool StartsEscapeSequence(string s, int backslash) =>
        backslash + 2 < s.Length && TryDecode(s[backslash + 1], s[backslash + 2], out _);

    private static string? CodeFor(char c) => c switch
    {
        ' ' => "20",
        '"' => "22",
        '&' => "26",
        '\'' => "27",
        '/' => "2f",
        ':' => "3a",
        '<' => "3c",
        '>' => "3e",
        '@' => "40",
        '\\' => "5c",
        _ => null,
    };

    // Case is significant: only the lower-case forms from the XEP's table are escapes.
    private static bool TryDecode(char hi, char lo, out char decoded)
    {
        decoded = (hi, lo) switch
        {
            ('2', '0') => ' ',
            ('2', '2') => '"',
            ('2', '6') => '&',
            ('2', '7') => '\'',
            ('2', 'f') => '/',
            ('3', 'a') => ':',
            ('3', 'c') => '<',
            ('3', 'e') => '>',
            ('4', '0') => '@',
            ('5', 'c') => '\\',
            _ => '\0',
        };
        return decoded != '\0';
    }
}
