using System.Xml.Linq;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Muc;

/// <summary>
/// Builds the presence an occupant shows the room (XEP-0045 §presence broadcast): their payload,
/// the muc#user item with affiliation and role (and real JID where the viewer may see it), status
/// codes, and the XEP-0421 occupant id.
/// </summary>
public static class OccupantPresence
{
    public static XElement Build(IMucAddressing muc, Room room, Occupant o, XElement? payload, bool withJid,
        string? type = null, IEnumerable<int>? codes = null, string? newNick = null, Jid? session = null, XElement? extra = null)
    {
        var item = new XElement(Ns.MucUser + "item",
            new XAttribute("affiliation", room.AffiliationOf(o.BareJid).ToXml()),
            new XAttribute("role", (type == "unavailable" && newNick is null ? Role.None : o.Role).ToXml()));
        if (withJid)
            item.SetAttributeValue("jid", (session ?? o.Sessions.Keys.FirstOrDefault()) is { } s ? o.RealJidOf(s).ToString() : o.BareJid.ToString());
        if (newNick != null) item.SetAttributeValue("nick", newNick);
        if (extra != null) item.Add(extra);
        var x = new XElement(Ns.MucUser + "x", item);
        foreach (var code in codes ?? []) x.Add(new XElement(Ns.MucUser + "status", new XAttribute("code", code)));

        var presence = new XElement(Ns.Component + "presence", new XAttribute("from", muc.OccupantJid(room, o.Nick)), new XAttribute("id", Stanza.NewId()));
        if (type != null) presence.SetAttributeValue("type", type);
        if (payload != null && type is null) presence.Add(payload.Elements().Select(e => new XElement(e)));
        presence.Add(x);
        presence.Add(new XElement(MucService.OccupantIdNs + "occupant-id", new XAttribute("id", o.OccupantId)));
        return presence;
    }

    /// <summary>The payload a client sent in its presence, without the parts the room writes itself.</summary>
    public static XElement PayloadOf(XElement presence) => new(Ns.Component + "presence", presence.Elements()
        .Where(e => e.Name.Namespace != Ns.Muc && e.Name.Namespace != Ns.MucUser && e.Name.Namespace != MucService.OccupantIdNs
                    && e.Name.Namespace != Ns.Stanzas && e.Name.Namespace != Ns.Fmuc && e.Name.Namespace != Ns.Dmuc)
        .Select(e => StoredMessage.Restamp(e, Ns.Component)));

    /// <summary>
    /// Every session of every occupant, with whether it may see real JIDs, except that the sessions
    /// behind one relay (FMUC mirror, DMUC replica) share a single entry: the relay's room.
    /// </summary>
    public static List<Listener> Audience(Room room)
    {
        var listeners = new List<Listener>();
        Dictionary<Jid, int>? relays = null;
        foreach (var o in room.Occupants)
        {
            var sees = MucService.SeesJids(room, o.BareJid);
            foreach (var session in o.Sessions.Keys)
            {
                if (!o.Relayed.TryGetValue(session, out var behind))
                {
                    listeners.Add(new Listener(session, sees));
                    continue;
                }
                relays ??= new Dictionary<Jid, int>();
                var address = behind.Relay.Address;
                if (room.SplitRelays.Contains(address)) continue; // a split replica hears nothing until its netjoin
                if (relays.TryGetValue(address, out var at))
                    listeners[at] = listeners[at] with { SeesJids = listeners[at].SeesJids || sees };
                else
                {
                    relays[address] = listeners.Count;
                    listeners.Add(new Listener(address, sees, behind.Relay));
                }
            }
        }
        return listeners;
    }

    /// <summary>An occupant's sessions that sit behind relays: the room's broadcast reaches them only through the relay's single copy.</summary>
    public static List<Jid> RelayedSessions(Occupant o) => o.Relayed.Keys.ToList();
}
