using System.Text;
using System.Xml.Linq;
using XmppGroupChat.Component;

namespace XmppGroupChat.Tests.Unit.Support;

/// <summary>
/// What the harnesses' fake links share: the real link's domain guard, and reading a stanza back
/// as the server would see it on the stream (stanza namespace jabber:component:accept).
/// </summary>
public static class LinkView
{
    /// <summary>The same guard as the real link: a stanza from outside the domain would close the stream.</summary>
    public static XElement RequireInDomain(XElement stanza, string domain) =>
        ComponentLink.IsInDomain((string?)stanza.Attribute("from") ?? "", domain)
            ? stanza
            : throw new ArgumentException($"stanza from outside {domain}: {stanza}");

    /// <summary>XML of one stanza (as a test writes it, or as the link writes it) parsed in the component namespace.</summary>
    public static XElement Parse(string xml) =>
        XElement.Parse(xml.Insert(xml.IndexOfAny([' ', '>', '/']), " xmlns='jabber:component:accept'"));

    /// <summary>Pre-serialised bytes handed to the link, read back.</summary>
    public static XElement Parse(ReadOnlyMemory<byte> utf8Stanza) => Parse(Encoding.UTF8.GetString(utf8Stanza.Span));
}
