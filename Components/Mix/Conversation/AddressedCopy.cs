using System.Text;

namespace XmppGroupChat.Mix.Conversation;

/// <summary>
/// One serialisation, many recipients: a stanza is serialised once without 'to', and each
/// recipient's copy is that template with ` to="…"` spliced in after the element name. The
/// body is never rebuilt per recipient.
/// </summary>
public static class AddressedCopy
{
    public static byte[] For(ReadOnlySpan<byte> template, string to)
    {
        // A resource may hold any character, quotes and ampersands included.
        if (to.AsSpan().IndexOfAny("\"<>&") >= 0)
            to = to.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
        // Templates start with "<message" or "<presence"; the name ends at the first space, '>' or '/'.
        var nameEnd = template.IndexOfAny((byte)' ', (byte)'>', (byte)'/');
        var toBytes = Encoding.UTF8.GetByteCount(to);
        var copy = new byte[template.Length + toBytes + 6];
        template[..nameEnd].CopyTo(copy);
        var pos = nameEnd;
        " to=\""u8.CopyTo(copy.AsSpan(pos));
        pos += 5;
        pos += Encoding.UTF8.GetBytes(to, copy.AsSpan(pos));
        copy[pos++] = (byte)'"';
        template[nameEnd..].CopyTo(copy.AsSpan(pos));
        return copy;
    }
}
