using System.Xml.Linq;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Muc;

/// <summary>
/// An occupant's role or affiliation changed, or it was taken out (kick 307, ban 301, membership
/// lost 321 or 322): everyone is shown the change, and a removed occupant's clients are told why and,
/// when the moderator is in the room, by whom (XEP-0045 §kick, §ban: &lt;actor nick/&gt; before the reason).
/// </summary>
public static class OccupantAnnouncements
{
    public static void Add(IMucAddressing muc, Room room, Occupant o, int? code, string? reason, bool removed, string? actorNick, Deliveries deliveries)
    {
        var extra = reason is null ? null : new XElement(Ns.MucUser + "reason", reason);
        XElement ByActor(XElement p)
        {
            if (removed && actorNick != null)
                p.Element(Ns.MucUser + "x")!.Element(Ns.MucUser + "item")!.AddFirst(new XElement(Ns.MucUser + "actor", new XAttribute("nick", actorNick)));
            return p;
        }
        if (removed)
            foreach (var session in o.Sessions.Keys)
                deliveries.Add(muc.Sender, ByActor(OccupantPresence.Build(muc, room, o, null, true, type: "unavailable",
                    codes: code is { } c ? [c, 110] : [110], session: session, extra: extra)), session);
        // The occupant's own sessions behind a relay are not in the relay's copy (the relay skips their nick): tell them directly.
        var own = removed ? [] : OccupantPresence.RelayedSessions(o).Select(s => new Listener(s, true));
        foreach (var (session, sees) in OccupantPresence.Audience(room).Concat(own))
        {
            if (o.Sessions.ContainsKey(session) && removed) continue;
            deliveries.Add(muc.Sender, ByActor(OccupantPresence.Build(muc, room, o, removed ? null : o.Sessions.Values.LastOrDefault(), sees,
                type: removed ? "unavailable" : null, codes: code is { } c ? [c] : null, extra: extra)), session);
        }
    }
}
