using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>
/// How a stanza from the primary looks to a local user: from rewritten to the replica room
/// (room@primary/Nick → R/Nick, room@primary → R), addressed to the user, the dmuc element removed,
/// a delay held by the primary shown as held by R, and real JIDs in muc#user items removed where
/// XEP-0045 hides them from this user. Everything else (stanza-id, occupant-id, status codes) is kept.
/// </summary>
public static class LocalView
{
    public static XElement For(ReplicatedRoom room, XElement fromPrimary, Jid to, bool seesJids, IEnumerable<int>? addCodes = null)
    {
        var copy = new XElement(fromPrimary);
        copy.SetAttributeValue("from", Rewrite(room, (string?)fromPrimary.Attribute("from")));
        copy.SetAttributeValue("to", to.ToString());
        copy.Elements(Ns.Dmuc + "x").Remove();
        foreach (var delay in copy.Elements(Ns.Delay + "delay"))
            if (delay.Attribute("from") != null) delay.SetAttributeValue("from", room.Address.ToString());
        var x = copy.Element(Ns.MucUser + "x");
        if (x != null && !seesJids)
            foreach (var item in x.Elements(Ns.MucUser + "item")) item.SetAttributeValue("jid", null);
        if (addCodes != null)
        {
            if (x is null) copy.Add(x = new XElement(Ns.MucUser + "x"));
            foreach (var code in addCodes)
                if (!x.Elements(Ns.MucUser + "status").Any(s => (string?)s.Attribute("code") == code.ToString()))
                    x.Add(new XElement(Ns.MucUser + "status", new XAttribute("code", code)));
        }
        return copy;
    }

    /// <summary>A history message for a local user: as live, plus a delay from R with the time the primary gave it.</summary>
    public static XElement History(ReplicatedRoom room, XElement stored, Jid to)
    {
        var copy = For(room, stored, to, seesJids: false);
        if (copy.Element(Ns.Delay + "delay") is null && OriginalStamp(stored) is { } stamp)
            copy.Add(new Delay(stamp, room.Address.ToString()).ToElement());
        return copy;
    }

    /// <summary>When the primary says the message was sent: the delay inside its dmuc element (XEP-0282 §message broadcast).</summary>
    public static DateTimeOffset? OriginalStamp(XElement message)
    {
        var delay = message.Element(Ns.Dmuc + "x")?.Element(Ns.Delay + "delay") ?? message.Element(Ns.Delay + "delay");
        return delay != null && XmppDateTime.TryParse((string?)delay.Attribute("stamp"), out var stamp) ? stamp : null;
    }

    /// <summary>room@primary/Nick → R/Nick; room@primary → R; anything else is left alone.</summary>
    public static string? Rewrite(ReplicatedRoom room, string? from)
    {
        if (!Jid.TryParse(from, out var jid) || !jid.BareEquals(room.Primary)) return from;
        return jid.Resource is { } nick ? room.Address.WithResource(nick).ToString() : room.Address.ToString();
    }
}
