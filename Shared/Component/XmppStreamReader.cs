using System.Text;
using System.Xml;
using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Component;

/// <summary>
/// Incremental reader of one XMPP stream: the stream header, then one top-level element at a
/// time, each built as a detached XElement and forgotten by the reader once returned (SAX-style,
/// nothing accumulates). Refuses DTDs, comments and processing instructions (RFC 6120 §11.1),
/// expands no entities beyond the five predefined ones, and applies <see cref="StanzaLimits"/>:
/// a stanza over a per-stanza limit is read to its end without being built and handed on as a
/// <see cref="SkippedStanza"/> stand-in; only the stream limits end the stream.
/// </summary>
public sealed class XmppStreamReader : IDisposable
{
    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";
    // Text is read in chunks so an oversized text node is never materialised whole.
    private const int TextChunk = 4096;

    private readonly LimitedReadStream _input;
    private readonly XmlReader _reader;
    private readonly StanzaLimits _limits;
    private readonly long _maxStanzaBytes;
    private readonly char[] _text = new char[TextChunk];

    public XmppStreamReader(Stream stream, StanzaLimits limits)
    {
        _limits = limits;
        _maxStanzaBytes = (long)limits.MaxStanzaBytes + LimitedReadStream.ReadAheadSlack;
        _input = new LimitedReadStream(stream, Math.Max(limits.MaxStreamStanzaBytes, limits.MaxStanzaBytes));
        _reader = XmlReader.Create(_input, new XmlReaderSettings
        {
            Async = true,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = false,
            IgnoreProcessingInstructions = false,
            CheckCharacters = true,
            CloseInput = false,
        });
    }

    /// <summary>A reader with the given per-stanza caps and the default stream limits.</summary>
    public XmppStreamReader(Stream stream, int maxStanzaBytes, int maxDepth)
        : this(stream, new StanzaLimits { MaxStanzaBytes = maxStanzaBytes, MaxStanzaDepth = maxDepth })
    {
    }

    /// <summary>Bytes consumed from the socket so far (includes read-ahead).</summary>
    public long BytesRead => _input.TotalRead;

    /// <summary>Reads up to and including the stream header and returns it as an empty element with its attributes.</summary>
    public async Task<XElement> ReadStreamHeaderAsync()
    {
        while (await ReadNodeAsync())
        {
            switch (_reader.NodeType)
            {
                case XmlNodeType.XmlDeclaration:
                case XmlNodeType.Whitespace:
                    continue;
                case XmlNodeType.Element:
                    if (!IsStreamHeader())
                        throw new StreamViolationException(StreamErrorCondition.InvalidNamespace,
                            $"expected stream:stream, got {_reader.Name}");
                    if (_reader.AttributeCount > _limits.MaxAttributesPerElement)
                        throw new StreamViolationException(StreamErrorCondition.PolicyViolation,
                            $"stream header with more than {_limits.MaxAttributesPerElement} attributes");
                    var header = new XElement(Ns.Stream + "stream");
                    ReadAttributes(header);
                    header.Add(new XAttribute("default-namespace", _reader.LookupNamespace("") ?? ""));
                    _input.StartWindow();
                    return header;
                default:
                    throw Refused();
            }
        }
        throw new EndOfStreamException("connection closed before the stream header");
    }

    /// <summary>
    /// Returns the next top-level element (a stanza, handshake, stream error or features), or null
    /// when the peer closed the stream with &lt;/stream:stream&gt;. A stanza over a per-stanza limit
    /// comes back as its <see cref="SkippedStanza"/> stand-in, after the reader has consumed all of it.
    /// </summary>
    public async Task<XElement?> ReadElementAsync()
    {
        XElement? root = null;
        XElement? current = null;
        string? skipped = null; // set once the stanza broke a per-stanza limit: the rest is read, not built
        while (await ReadNodeAsync())
        {
            var depth = _reader.Depth; // the stream is 0, a stanza 1
            switch (_reader.NodeType)
            {
                case XmlNodeType.Element:
                    if (depth == 1 && IsStreamHeader())
                        throw new StreamViolationException(StreamErrorCondition.UnsupportedStanzaType,
                            "a second stream header inside the stream");
                    if (depth > _limits.MaxStreamStanzaDepth)
                        throw new StreamViolationException(StreamErrorCondition.PolicyViolation,
                            $"stanza nested deeper than {_limits.MaxStreamStanzaDepth} elements, the most this link takes from a server");
                    var empty = _reader.IsEmptyElement;
                    if (skipped is null)
                    {
                        skipped = LimitBrokenBy(depth);
                        if (skipped is null)
                        {
                            var e = new XElement(XName.Get(_reader.LocalName, _reader.NamespaceURI));
                            ReadAttributes(e);
                            if (current is null) root = e; else current.Add(e);
                            if (!empty) current = e;
                        }
                        else
                        {
                            root = root is null ? StandInFromReader(skipped) : StandInFor(root, skipped);
                            current = null;
                        }
                    }
                    if (depth == 1 && empty) return Complete(root!);
                    break;
                case XmlNodeType.EndElement:
                    if (depth == 0) return null; // </stream:stream>
                    if (depth == 1) return Complete(root!);
                    if (skipped is null) current = current!.Parent;
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    if (depth == 1)
                    {
                        // Whitespace between stanzas is keepalive: never read, never counted against the next stanza.
                        _input.StartWindow();
                        break;
                    }
                    // Inside a stanza it is content. A stanza already skipped leaves its text unread:
                    // the next Read steps over it without materialising it.
                    if (skipped is not null) break;
                    if (await ReadTextAsync() is { } text)
                    {
                        current!.Add(new XText(text));
                        break;
                    }
                    skipped = TooLarge();
                    root = StandInFor(root!, skipped);
                    current = null;
                    break;
                default:
                    throw Refused();
            }
        }
        return null;
    }

    private bool IsStreamHeader() => _reader.LocalName == "stream" && _reader.NamespaceURI == Ns.Stream.NamespaceName;

    /// <summary>The per-stanza limit the element under the reader breaks, in words; null if it breaks none.</summary>
    private string? LimitBrokenBy(int depth)
    {
        if (depth > _limits.MaxStanzaDepth) return $"stanza nested deeper than {_limits.MaxStanzaDepth} elements";
        if (_reader.AttributeCount > _limits.MaxAttributesPerElement)
            return $"an element with more than {_limits.MaxAttributesPerElement} attributes";
        return _input.WindowBytes > _maxStanzaBytes ? TooLarge() : null;
    }

    private XElement StandInFromReader(string reason) => SkippedStanza.StandIn(
        XName.Get(_reader.LocalName, _reader.NamespaceURI),
        _reader.GetAttribute("from"), _reader.GetAttribute("to"), _reader.GetAttribute("id"), _reader.GetAttribute("type"), reason);

    private static XElement StandInFor(XElement partial, string reason) => SkippedStanza.StandIn(partial.Name,
        (string?)partial.Attribute(XmlNames.From), (string?)partial.Attribute(XmlNames.To),
        (string?)partial.Attribute(XmlNames.Id), (string?)partial.Attribute(XmlNames.Type), reason);

    private string TooLarge() => $"stanza larger than {_limits.MaxStanzaBytes} bytes";

    /// <summary>The text node under the reader, or null (leaving the rest unread) once the stanza grows past its size limit.</summary>
    private async ValueTask<string?> ReadTextAsync()
    {
        string? first = null;
        StringBuilder? more = null;
        int n;
        while ((n = await ReadChunkAsync()) > 0)
        {
            if (_input.WindowBytes > _maxStanzaBytes) return null;
            if (first is null) first = new string(_text, 0, n);
            else (more ??= new StringBuilder(first)).Append(_text, 0, n);
        }
        return more?.ToString() ?? first ?? "";
    }

    private async ValueTask<int> ReadChunkAsync()
    {
        try
        {
            return await _reader.ReadValueChunkAsync(_text, 0, _text.Length).ConfigureAwait(false);
        }
        catch (XmlException ex)
        {
            throw Translate(ex);
        }
    }

    private XElement Complete(XElement e)
    {
        _input.StartWindow();
        return e;
    }

    private async Task<bool> ReadNodeAsync()
    {
        try
        {
            return await _reader.ReadAsync().ConfigureAwait(false);
        }
        catch (XmlException ex)
        {
            throw Translate(ex);
        }
    }

    private Exception Translate(XmlException ex)
    {
        if (_input.Ended) return new EndOfStreamException("the connection closed in the middle of the stream", ex);
        if (ex.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
            return new StreamViolationException(StreamErrorCondition.RestrictedXml, "DTDs are not allowed in XMPP", ex);
        return new StreamViolationException(StreamErrorCondition.NotWellFormed, ex.Message, ex);
    }

    // Only called for elements within MaxAttributesPerElement: XElement.Add checks each attribute
    // against those already added, which is quadratic in their number.
    private void ReadAttributes(XElement e)
    {
        if (!_reader.MoveToFirstAttribute()) return;
        do
        {
            var ns = _reader.NamespaceURI;
            // Namespace declarations are re-derived by the serialiser; keeping them would pin prefixes.
            if (ns == XmlnsNamespace) continue;
            e.Add(new XAttribute(XName.Get(_reader.LocalName, ns), _reader.Value));
        } while (_reader.MoveToNextAttribute());
        _reader.MoveToElement();
    }

    private StreamViolationException Refused() => new(StreamErrorCondition.RestrictedXml,
        $"{_reader.NodeType} is not allowed in an XMPP stream");

    public void Dispose() => _reader.Dispose();
}
