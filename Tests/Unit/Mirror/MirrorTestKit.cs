using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Mirror;

/// <summary>The two kinds of master: our room host with FMUC (one copy to the proxy bare JID) and any plain MUC (one copy per proxy session).</summary>
public enum MasterKind { Fmuc, Plain }

/// <summary>Names and small readers the mirror tests share.</summary>
internal static class MirrorTestKit
{
    public const string Kev = "kev@beta.test/Swift";
    public const string Ann = "ann@beta.test/Gajim";
    public const string Bob = "bob@beta.test/Dino";
    public const string Room = MirrorHarness.Room;
    public const string Proxy = MirrorHarness.Proxy;
    public const string Muc = "http://jabber.org/protocol/muc";
    public const string MucUser = "http://jabber.org/protocol/muc#user";
    public const string Fmuc = "http://isode.com/protocol/fmuc";


    public static string? From(XElement e) => (string?)e.Attribute("from");
    public static string? To(XElement e) => (string?)e.Attribute("to");
    public static string? Body(XElement e) => e.Element(Ns.Component + "body")?.Value;

    public static StanzaErrorCondition? Condition(XElement e) => StanzaError.FromStanza(e)?.Condition;

    public static IEnumerable<string> Codes(XElement e) =>
        e.Elements(Ns.MucUser + "x").Elements(Ns.MucUser + "status").Select(s => (string)s.Attribute("code")!);
}
