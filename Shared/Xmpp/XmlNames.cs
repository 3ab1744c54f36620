using System.Xml.Linq;

namespace XmppGroupChat.Xmpp;

/// <summary>
/// Pre-built names for unqualified attributes and common elements: converting a string to an XName costs a
/// dictionary look-up on every call, which adds up on the stanza routing path.
/// </summary>
internal static class XmlNames
{
    public static readonly XName From = "from";
    public static readonly XName To = "to";
    public static readonly XName Id = "id";
    public static readonly XName Type = "type";
    public static readonly XName By = "by";
    public static readonly XName Var = "var";
    public static readonly XName Node = "node";
    public static readonly XName Jid = "jid";
    public static readonly XName Name = "name";
    public static readonly XName Label = "label";
    public static readonly XName Category = "category";
    public static readonly XName Index = "index";
    public static readonly XName Stamp = "stamp";
    public static readonly XName Lang = XNamespace.Xml + "lang";
}
