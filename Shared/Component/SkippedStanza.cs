using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Component;

/// <summary>
/// Marks a stanza the reader did not build because it broke a per-stanza limit. The reader hands
/// on in its place an empty element with the stanza's name and addressing (from, to, id, type),
/// annotated with this: enough to route it like any stanza and to answer its sender with
/// policy-violation, and nothing a handler could mistake for the real content.
/// </summary>
public sealed class SkippedStanza
{
    private SkippedStanza(string reason) => Reason = reason;

    /// <summary>Which limit it broke, in words for the log and the sender (e.g. "stanza larger than 524288 bytes").</summary>
    public string Reason { get; }

    /// <summary>The stand-in for a skipped stanza: its name and whichever addressing attributes it had.</summary>
    public static XElement StandIn(XName name, string? from, string? to, string? id, string? type, string reason)
    {
        var e = new XElement(name);
        if (from is not null) e.Add(new XAttribute(XmlNames.From, from));
        if (to is not null) e.Add(new XAttribute(XmlNames.To, to));
        if (id is not null) e.Add(new XAttribute(XmlNames.Id, id));
        if (type is not null) e.Add(new XAttribute(XmlNames.Type, type));
        e.AddAnnotation(new SkippedStanza(reason));
        return e;
    }

    /// <summary>Why <paramref name="stanza"/> was skipped, or null for a stanza that was read whole.</summary>
    public static string? ReasonFor(XElement stanza) => stanza.Annotation<SkippedStanza>()?.Reason;
}
