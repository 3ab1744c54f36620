using System.Xml.Linq;

namespace XmppGroupChat.Tests.Integration.Infrastructure.Federation;

/// <summary>
/// One top-level element (stanza, dialback element, stream features or error) that crossed an
/// s2s link from <see cref="FromServer"/> to <see cref="ToServer"/> (server domains).
/// <see cref="From"/> and <see cref="To"/> are the element's own addresses.
/// </summary>
/// <param name="Sequence">Increases by one per element on the link; compare with a <see cref="TrafficMark"/>.</param>
/// <param name="Connection">Which TCP connection of the link carried it (numbered from 1).</param>
/// <param name="Size">UTF-8 bytes of the element written back out without the stream's namespace
/// declarations: close to its size on the wire (the exact byte totals are in <see cref="TrafficLog.Bytes"/>).</param>
public sealed record CrossedStanza(long Sequence, DateTime At, string FromServer, string ToServer, int Connection,
    XElement Element, int Size)
{
    /// <summary>The namespace stanzas have on an s2s stream (jabber:client on c2s, jabber:component:accept on a component link).</summary>
    public static readonly XNamespace JabberServer = "jabber:server";

    /// <summary>The element's local name: message, presence, iq, result (dialback), features…</summary>
    public string Name => Element.Name.LocalName;
    public string? From => (string?)Element.Attribute("from");
    public string? To => (string?)Element.Attribute("to");
    public string? Type => (string?)Element.Attribute("type");
    public string? Id => (string?)Element.Attribute("id");
    public string? Body => Element.Element(JabberServer + "body")?.Value;
    public bool IsStanza => Name is "message" or "presence" or "iq";

    public override string ToString() => $"#{Sequence} {FromServer}->{ToServer} conn {Connection} <{Name}" +
        $"{(From is null ? "" : $" from='{From}'")}{(To is null ? "" : $" to='{To}'")}{(Type is null ? "" : $" type='{Type}'")}> {Size} B";
}

/// <summary>A point in a link's traffic (<see cref="TrafficLog.Mark"/>): what crossed after it is what a test caused.</summary>
/// <param name="Bytes">bytes forwarded so far, by direction ("alpha.test->beta.test")</param>
public sealed record TrafficMark(long Sequence, IReadOnlyDictionary<string, long> Bytes);
