using System.Xml;
using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Component;

/// <summary>
/// Incremental reader of one XMPP stream: the stream header, then one top-level element at a
/// time, each built as a detached XElement and forgotten by the reader once returned (SAX-style,
/// nothing accumulates). Refuses DTDs, comments and processing instructions (RFC 6120 §11.1),
/// expands no entities beyond the five predefined ones, and caps stanza size and depth.
/// </summary>
public sealed class XmppStreamReader : IDisposable
{
    private static readonly XNamespace XmlnsNs = "http://www.w3.org/2000/xmlns/";
    private readonly LimitedReadStream _input;
    private readonly XmlReader _reader;
    private readonly int _maxDepth;

    public XmppStreamReader(Stream stream, int maxStanzaBytes, int maxDepth)
    {
        _input = new LimitedReadStream(stream, maxStanzaBytes);
        _maxDepth = maxDepth;
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
                    if (_reader.LocalName != "stream" || _reader.NamespaceURI != Ns.Stream.NamespaceName)
                        throw new StreamViolationException(StreamErrorCondition.InvalidNamespace,
                            $"expected stream:stream, got {_reader.Name}");
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
    /// when the peer closed the stream with &lt;/stream:stream&gt; or the connection ended.
    /// </summary>
    public async Task<XElement?> ReadElementAsync()
    {
        XElement? root = null;
        XElement? current = null;
        while (await ReadNodeAsync())
        {
            switch (_reader.NodeType)
            {
                case XmlNodeType.Element:
                    if (_reader.Depth > _maxDepth)
                        throw new StreamViolationException(StreamErrorCondition.PolicyViolation,
                            $"stanza nested deeper than {_maxDepth} elements");
                    var e = new XElement(XName.Get(_reader.LocalName, _reader.NamespaceURI));
                    var empty = _reader.IsEmptyElement;
                    ReadAttributes(e);
                    if (current is null) root = e; else current.Add(e);
                    if (!empty) current = e;
                    else if (current is null) return Complete(e);
                    break;
                case XmlNodeType.EndElement:
                    if (current is null) return null; // </stream:stream>
                    if (current == root) return Complete(root);
                    current = current.Parent;
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    // Whitespace between stanzas is keepalive; inside a stanza it is content.
                    current?.Add(new XText(_reader.Value));
                    break;
                default:
                    throw Refused();
            }
        }
        return null;
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
        catch (XmlException ex) when (_input.Ended)
        {
            throw new EndOfStreamException("the connection closed in the middle of the stream", ex);
        }
        catch (XmlException ex) when (ex.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            throw new StreamViolationException(StreamErrorCondition.RestrictedXml, "DTDs are not allowed in XMPP", ex);
        }
        catch (XmlException ex)
        {
            throw new StreamViolationException(StreamErrorCondition.NotWellFormed, ex.Message, ex);
        }
    }

    private void ReadAttributes(XElement e)
    {
        if (!_reader.MoveToFirstAttribute()) return;
        do
        {
            var ns = _reader.NamespaceURI;
            // Namespace declarations are re-derived by the serialiser; keeping them would pin prefixes.
            if (ns == XmlnsNs.NamespaceName) continue;
            e.Add(new XAttribute(XName.Get(_reader.LocalName, ns), _reader.Value));
        } while (_reader.MoveToNextAttribute());
        _reader.MoveToElement();
    }

    private StreamViolationException Refused() => new(StreamErrorCondition.RestrictedXml,
        $"{_reader.NodeType} is not allowed in an XMPP stream");

    public void Dispose() => _reader.Dispose();
}
