using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>
/// How a stanza from the master looks to a local user: from the proxy room (room@muc.alpha.test/N
/// becomes room\40muc.alpha.test@mirror.beta.test/N), to the user, everything else kept
/// (stanza-id, occupant-id, delay, muc#user items). In muc#user items, a proxy session's JID is
/// shown as the local user it stands for, and in a copy the master made for all the mirror's
/// users at once, a real JID is removed for a user who may not see it.
/// </summary>
public static class LocalCopy
{
    private static readonly XNamespace Forward = "urn:xmpp:forward:0";

    /// <param name="broadcast">The master addressed the proxy bare JID: one copy for every local user, so the mirror applies JID visibility.</param>
    public static XElement For(XElement fromMaster, ProxyRoom room, ProxySession recipient, bool broadcast)
    {
        var copy = new XElement(fromMaster);
        copy.SetAttributeValue("from", room.ToProxy(fromMaster.GetFrom()!).ToString());
        copy.SetAttributeValue("to", recipient.Local.ToString());
        // Another mirror's users' real JIDs, shown by a plain MUC that does not know the element.
        copy.Elements(Ns.Fmuc + "fmuc").Remove();
        foreach (var item in copy.Elements(Ns.MucUser + "x").Elements(Ns.MucUser + "item"))
        {
            if (item.Attribute("jid") is not { } jid) continue;
            if (broadcast && !recipient.SeesJids) jid.Remove();
            else if (Jid.TryParse(jid.Value, out var shown) && shown.Bare.Equals(room.Proxy) && room.FindBySid(shown.Resource) is { } local)
                jid.Value = local.Local.ToString();
        }
        // MAM results carry the archived message as the master addressed it.
        foreach (var forwarded in copy.Descendants(Forward + "forwarded").Elements().Where(e => e.Name.LocalName == "message"))
        {
            if (Jid.TryParse((string?)forwarded.Attribute("from"), out var from) && from.Bare.Equals(room.Master))
                forwarded.SetAttributeValue("from", room.ToProxy(from).ToString());
        }
        return copy;
    }

    /// <summary>The status codes of a muc#user element in <paramref name="stanza"/>.</summary>
    public static IEnumerable<string> StatusCodes(XElement stanza) =>
        stanza.Elements(Ns.MucUser + "x").Elements(Ns.MucUser + "status").Select(s => (string?)s.Attribute("code") ?? "");
}
