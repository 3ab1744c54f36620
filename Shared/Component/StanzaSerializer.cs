using System.Buffers;
using System.Text;
using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Component;

/// <summary>
/// Writes stanzas as UTF-8 straight into a buffer. Hand-written rather than XmlWriter because
/// (1) a stanza must be written in the stream's content namespace without repeating xmlns on
/// every stanza, which XmlWriter cannot do for a fragment whose parent it never saw, and
/// (2) this is the per-recipient hot path of every fan-out: no writer or string per stanza.
/// Characters that XML 1.0 cannot carry are replaced with U+FFFD, so a bad string built inside
/// the process can never make the server close the stream.
/// </summary>
public static class StanzaSerializer
{
    /// <summary>
    /// Writes <paramref name="stanza"/>. Its own namespace, and that of its descendants still in a
    /// stanza namespace, is taken to be <paramref name="streamNamespace"/> (jabber:client and
    /// jabber:component:accept are the same thing on different streams); a stanza nested inside
    /// another payload (forwarded, MAM result) keeps its namespace.
    /// </summary>
    public static void Write(XElement stanza, XNamespace streamNamespace, IBufferWriter<byte> output) =>
        WriteElement(output, stanza, streamNamespace, streamNamespace, parentInStanzaScope: true);

    public static byte[] ToUtf8(XElement stanza, XNamespace streamNamespace)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(stanza, streamNamespace, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    public static string ToXmlString(XElement stanza, XNamespace? streamNamespace = null) =>
        Encoding.UTF8.GetString(ToUtf8(stanza, streamNamespace ?? Ns.Component));

    private static void WriteElement(IBufferWriter<byte> w, XElement e, XNamespace parentNs, XNamespace streamNs,
        bool parentInStanzaScope)
    {
        var ns = e.Name.Namespace;
        var inStanzaScope = parentInStanzaScope && Ns.IsStanzaNamespace(ns);
        var effectiveNs = inStanzaScope ? streamNs : ns;

        Raw(w, "<");
        Raw(w, e.Name.LocalName);
        if (effectiveNs != parentNs)
        {
            Raw(w, " xmlns=\"");
            Escaped(w, effectiveNs.NamespaceName, attribute: true);
            Raw(w, "\"");
        }

        var prefixCount = 0;
        for (var a = e.FirstAttribute; a != null; a = a.NextAttribute)
        {
            if (a.IsNamespaceDeclaration) continue;
            var ans = a.Name.Namespace;
            Raw(w, " ");
            if (ans == XNamespace.None) { }
            else if (ans == XNamespace.Xml) Raw(w, "xml:");
            else
            {
                // Rare (no XMPP extension we speak uses namespaced attributes besides xml:lang):
                // declare a private prefix on the spot.
                var prefix = "a" + prefixCount++;
                Raw(w, "xmlns:"); Raw(w, prefix); Raw(w, "=\"");
                Escaped(w, ans.NamespaceName, attribute: true);
                Raw(w, "\" "); Raw(w, prefix); Raw(w, ":");
            }
            Raw(w, a.Name.LocalName);
            Raw(w, "=\"");
            Escaped(w, a.Value, attribute: true);
            Raw(w, "\"");
        }

        var node = e.FirstNode;
        if (node is null)
        {
            Raw(w, "/>");
            return;
        }
        Raw(w, ">");
        for (; node != null; node = node.NextNode)
        {
            switch (node)
            {
                case XElement child:
                    WriteElement(w, child, effectiveNs, streamNs, inStanzaScope);
                    break;
                case XText text: // includes XCData: written as escaped text, same information
                    Escaped(w, text.Value, attribute: false);
                    break;
                // Comments and processing instructions are not allowed in XMPP streams: dropped.
            }
        }
        Raw(w, "</");
        Raw(w, e.Name.LocalName);
        Raw(w, ">");
    }

    internal static void Raw(IBufferWriter<byte> w, string s) => Raw(w, s.AsSpan());

    private static void Raw(IBufferWriter<byte> w, ReadOnlySpan<char> s)
    {
        if (s.IsEmpty) return;
        var span = w.GetSpan(Encoding.UTF8.GetMaxByteCount(s.Length));
        w.Advance(Encoding.UTF8.GetBytes(s, span));
    }

    private static void Escaped(IBufferWriter<byte> w, string s, bool attribute)
    {
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            string? replacement = null;
            if (c < '?')
            {
                switch (c)
                {
                    case '<': replacement = "&lt;"; break;
                    case '>': replacement = "&gt;"; break; // also guards against "]]>"
                    case '&': replacement = "&amp;"; break;
                    case '"' when attribute: replacement = "&quot;"; break;
                    case '\r': replacement = "&#xD;"; break; // would be normalised away otherwise
                    case '\n' when attribute: replacement = "&#xA;"; break;
                    case '\t' when attribute: replacement = "&#x9;"; break;
                    case '\n' or '\t': break;
                    default:
                        if (c < ' ') replacement = "\uFFFD";
                        break;
                }
            }
            else if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                {
                    i++;
                    continue;
                }
                replacement = "\uFFFD";
            }
            else if (c >= '\uFFFE')
            {
                replacement = "\uFFFD";
            }

            if (replacement is null) continue;
            Raw(w, s.AsSpan(start, i - start));
            Raw(w, replacement);
            start = i + 1;
        }
        Raw(w, s.AsSpan(start));
    }
}
