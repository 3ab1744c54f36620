using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>
/// One occupant of the room as the primary last showed it: its presence as received (from
/// room@primary/Nick, without 'to' and without the dmuc element), from which each local user's copy is made.
/// </summary>
public sealed record RosterEntry(string Nick, XElement Presence)
{
    public string? Role => (string?)Presence.Element(Ns.MucUser + "x")?.Element(Ns.MucUser + "item")?.Attribute("role");

    /// <summary>The entry for a presence the primary sent (a copy; the original is left alone).</summary>
    public static RosterEntry From(XElement presence, string nick)
    {
        var copy = new XElement(presence);
        copy.SetAttributeValue("to", null);
        copy.Elements(Ns.Dmuc + "x").Remove();
        return new RosterEntry(nick, copy);
    }

    public bool SameAs(RosterEntry other) => XNode.DeepEquals(Normal(Presence), Normal(other.Presence));

    // The id differs from copy to copy of the same state.
    private static XElement Normal(XElement p)
    {
        var n = new XElement(p);
        n.SetAttributeValue("id", null);
        return n;
    }
}
