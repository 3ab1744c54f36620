using System.Xml;
using System.Xml.Linq;
using XmppGroupChat.Component;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Archive;

/// <summary>
/// How a stanza is kept in the messages table, and the tombstone that replaces a retracted one.
/// <para>
/// Stored form: the UTF-8 bytes <see cref="StanzaSerializer"/> writes for a jabber:component:accept
/// stream. That form never declares the stream namespace (the root and every stanza-namespace
/// descendant are written without xmlns), which saves ~35 bytes a row, so it is read back with a
/// parser context whose default namespace is jabber:component:accept. The decision this implies:
/// a stanza given in jabber:client comes back in jabber:component:accept (the two are the same
/// thing on different streams); anything nested in a payload keeps its own namespace. What comes
/// back is otherwise equal (<see cref="XNode.DeepEquals"/>) to what went in.
/// </para>
/// </summary>
internal static class StoredStanza
{
    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        ConformanceLevel = ConformanceLevel.Fragment,
        IgnoreWhitespace = false,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    public static readonly XNamespace Retract = "urn:xmpp:message-retract:1";

    public static byte[] Encode(XElement stanza) => StanzaSerializer.ToUtf8(stanza, Ns.Component);

    public static XElement Decode(byte[] bytes) => DecodeAll([bytes])[0];

    /// <summary>
    /// Decodes several stored stanzas with one reader, read as a sequence of top-level elements (an
    /// XML fragment): a MAM page then pays for one XmlReader and its buffers, not one per message.
    /// </summary>
    public static XElement[] DecodeAll(IReadOnlyList<byte[]> stored)
    {
        var result = new XElement[stored.Count];
        if (stored.Count == 0)
            return result;
        // XmlReader and its NameTable are not thread-safe, so each call gets its own context.
        var names = new NameTable();
        var namespaces = new XmlNamespaceManager(names);
        namespaces.AddNamespace(string.Empty, Ns.Component.NamespaceName);
        var context = new XmlParserContext(names, namespaces, null, XmlSpace.None);
        using var reader = XmlReader.Create(new ConcatenatedStream(stored), ReaderSettings, context);
        var n = 0;
        reader.Read();
        while (!reader.EOF)
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                reader.Read();
                continue;
            }
            if (n == result.Length)
                throw new FormatException("A stored stanza holds more than one element.");
            // The reader keeps whitespace (IgnoreWhitespace is off): the stored form has no layout
            // whitespace, so every whitespace node is content (a body of spaces stays spaces).
            var element = (XElement)XNode.ReadFrom(reader);
            RemoveNamespaceDeclarations(element);
            result[n++] = element;
        }
        if (n != result.Length)
            throw new FormatException($"Expected {result.Length} stored stanzas, read {n}.");
        return result;
    }

    /// <summary>
    /// A detached copy of <paramref name="stanza"/> as <see cref="Decode"/> would return it: stanza-namespace
    /// elements in jabber:component:accept. Cheaper than a parse, so the append path uses it.
    /// </summary>
    public static XElement Copy(XElement stanza)
    {
        var copy = new XElement(stanza);
        RemoveNamespaceDeclarations(copy);
        NormaliseStanzaNamespace(copy);
        return copy;
    }

    /// <summary>
    /// What remains of a retracted message: its envelope (name and attributes), its &lt;stanza-id/&gt; and
    /// &lt;origin-id/&gt; (so clients can still match it), and a &lt;retracted/&gt; marker; body and every
    /// other payload are dropped, because the point of retraction is that the content is gone.
    /// </summary>
    public static XElement Tombstone(XElement original, DateTimeOffset stamp)
    {
        var tombstone = new XElement(original.Name, original.Attributes().Where(a => !a.IsNamespaceDeclaration));
        foreach (var child in original.Elements())
        {
            if (child.Name == Ns.StanzaId + "stanza-id" || child.Name == Ns.StanzaId + "origin-id")
                tombstone.Add(new XElement(child));
        }
        tombstone.Add(new XElement(Retract + "retracted", new XAttribute("stamp", XmppDateTime.Format(stamp))));
        return tombstone;
    }

    // Declarations are syntax, not content: dropping them makes a decoded stanza DeepEqual to one
    // built in code, and the serialiser declares what it needs anyway.
    private static void RemoveNamespaceDeclarations(XElement root)
    {
        foreach (var element in root.DescendantsAndSelf())
        {
            if (!element.HasAttributes)
                continue;
            XAttribute? attribute = element.FirstAttribute;
            while (attribute is not null)
            {
                var next = attribute.NextAttribute;
                if (attribute.IsNamespaceDeclaration)
                    attribute.Remove();
                attribute = next;
            }
        }
    }

    // Mirrors the serialiser's rule: an element is in the stream namespace while it and all its
    // ancestors are in a stanza namespace.
    private static void NormaliseStanzaNamespace(XElement element)
    {
        if (!Ns.IsStanzaNamespace(element.Name.Namespace))
            return;
        if (element.Name.Namespace != Ns.Component)
            element.Name = Ns.Component + element.Name.LocalName;
        foreach (var child in element.Elements())
            NormaliseStanzaNamespace(child);
    }
}
