using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>Presence pieces the replica builds itself rather than relays.</summary>
public static class Presences
{
    private static readonly XNamespace OccupantId = "urn:xmpp:occupant-id:0";

    /// <summary>The payload a user's presence carries (show, status, caps...), without the parts the room writes.</summary>
    public static XElement PayloadOf(XElement presence) => new(Ns.Component + "presence", presence.Elements()
        .Where(e => e.Name.Namespace != Ns.Muc && e.Name.Namespace != Ns.MucUser && e.Name.Namespace != Ns.Dmuc
                    && e.Name.Namespace != OccupantId && e.Name.Namespace != Ns.Stanzas && e.Name.LocalName != "error")
        .Select(e => new XElement(e)));

    /// <summary>An occupant's presence with a new payload: the muc#user item and occupant-id stay as the primary gave them.</summary>
    public static XElement WithPayload(XElement occupantPresence, XElement payload)
    {
        var copy = new XElement(occupantPresence.Name, occupantPresence.Attributes());
        copy.Add(payload.Elements().Select(e => new XElement(e)));
        copy.Add(occupantPresence.Elements().Where(e => e.Name.Namespace == Ns.MucUser || e.Name.Namespace == OccupantId).Select(e => new XElement(e)));
        return copy;
    }

    /// <summary>The unavailable presence of an occupant as the replica shows it on its own (split): role none, no payload, no status codes.</summary>
    public static XElement UnavailableOf(XElement occupantPresence)
    {
        var copy = new XElement(occupantPresence.Name, occupantPresence.Attributes().Where(a => a.Name != "id"));
        copy.SetAttributeValue("type", "unavailable");
        copy.SetAttributeValue("id", Stanza.NewId());
        if (occupantPresence.Element(Ns.MucUser + "x") is { } x)
        {
            var item = x.Element(Ns.MucUser + "item") is { } i ? new XElement(i) : new XElement(Ns.MucUser + "item");
            item.SetAttributeValue("role", "none");
            copy.Add(new XElement(Ns.MucUser + "x", item));
        }
        copy.Add(occupantPresence.Elements(OccupantId + "occupant-id").Select(e => new XElement(e)));
        return copy;
    }

    /// <summary>A roster entry from a self-presence: without the status codes that only the user itself gets.</summary>
    public static XElement WithoutStatusCodes(XElement presence)
    {
        var copy = new XElement(presence);
        copy.Element(Ns.MucUser + "x")?.Elements(Ns.MucUser + "status").Remove();
        return copy;
    }

    /// <summary>A join refusal as the user sees it: from R/Nick, with the muc element (XEP-0045 §enter-errors) and the error.</summary>
    public static XElement EnterError(Jid from, Jid to, StanzaError error, string? id = null)
    {
        var presence = Stanza.Presence(from, to, "error");
        if (id != null) presence.SetAttributeValue("id", id);
        presence.Add(new XElement(Ns.Muc + "x"), error.ToElement());
        return presence;
    }

    /// <summary>What a user who is put out of the room by the replica gets: self-unavailable with 110 and 333 (XEP-0045: removed because of a technical problem).</summary>
    public static XElement PutOut(ReplicatedRoom room, LocalSession session, string reason)
    {
        var presence = Stanza.Presence(room.Address.WithResource(session.Nick), session.User, "unavailable");
        presence.Add(new XElement(Ns.Component + "status", reason),
            new XElement(Ns.MucUser + "x",
                new XElement(Ns.MucUser + "item", new XAttribute("affiliation", "none"), new XAttribute("role", "none")),
                new XElement(Ns.MucUser + "status", new XAttribute("code", 110)),
                new XElement(Ns.MucUser + "status", new XAttribute("code", 333))));
        return presence;
    }

    public static IEnumerable<int> StatusCodes(XElement presence) =>
        presence.Element(Ns.MucUser + "x")?.Elements(Ns.MucUser + "status")
            .Select(s => int.TryParse((string?)s.Attribute("code"), out var c) ? c : 0) ?? [];
}
