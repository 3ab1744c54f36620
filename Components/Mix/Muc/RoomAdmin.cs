using System.Xml.Linq;
using XmppGroupChat.Component;
using XmppGroupChat.Mix.Mix;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Muc;

/// <summary>
/// Moderators and admins (XEP-0045 §kick, §grantvoice, §ban, §grantmember, §grantadmin, §grantowner
/// and the list requests): role changes by nick, affiliation changes by JID, and the lists.
/// Affiliations are the room's, shared with the MIX face (owners, administrators, allowed, banned).
/// </summary>
public sealed class RoomAdmin(MucService muc, Occupancy occupancy)
{
    private static readonly string[] Affiliations = ["owner", "admin", "member", "none", "outcast"];
    private static readonly string[] Roles = ["moderator", "participant", "visitor", "none"];

    public void Register(StanzaRouter router)
    {
        router.OnIqGet(Ns.MucAdmin + "query", GetAsync);
        router.OnIqSet(Ns.MucAdmin + "query", SetAsync);
    }

    private ValueTask<XElement?> GetAsync(XElement iq, CancellationToken ct)
    {
        var room = muc.RequireRoom(iq);
        var from = iq.GetFrom()!;
        var item = iq.GetPayload()!.Element(Ns.MucAdmin + "item")
                   ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "name an affiliation or role to list"));
        var result = new XElement(Ns.MucAdmin + "query");
        lock (room.Sync)
        {
            var me = room.FindOccupantBySession(from);
            if ((string?)item.Attribute("affiliation") is { } affiliation)
            {
                if (!Affiliations.Contains(affiliation)) throw BadRequest($"'{affiliation}' is not an affiliation");
                if (!room.IsAdmin(from) && !(affiliation == "member" && me != null))
                    throw Forbidden("only admins may see this list");
                foreach (var (jid, a) in room.Affiliations.Where(a => a.Value == affiliation))
                {
                    var e = new XElement(Ns.MucAdmin + "item", new XAttribute("affiliation", a), new XAttribute("jid", jid.ToString()));
                    if (room.FindOccupantByJid(jid) is { } o) e.SetAttributeValue("nick", o.Nick);
                    result.Add(e);
                }
            }
            else if ((string?)item.Attribute("role") is { } role)
            {
                if (!Roles.Contains(role)) throw BadRequest($"'{role}' is not a role");
                if (me?.Role != "moderator") throw Forbidden("only moderators may see this list");
                foreach (var o in room.Occupants.Where(o => o.Role == role))
                    result.Add(new XElement(Ns.MucAdmin + "item", new XAttribute("role", role), new XAttribute("nick", o.Nick),
                        new XAttribute("jid", o.BareJid.ToString()), new XAttribute("affiliation", room.AffiliationOf(o.BareJid))));
            }
            else throw BadRequest("name an affiliation or role to list");
        }
        return ValueTask.FromResult<XElement?>(result);
    }

    private async ValueTask<XElement?> SetAsync(XElement iq, CancellationToken ct)
    {
        var room = muc.RequireRoom(iq);
        var from = iq.GetFrom()!;
        var items = iq.GetPayload()!.Elements(Ns.MucAdmin + "item").ToList();
        if (items.Count == 0) throw BadRequest("no item to change");
        var affected = new List<(Occupant Occupant, int? Code, string? Reason, bool Removed)>();
        var bannedParticipants = new List<Participant>();
        string? actorNick;
        lock (room.Sync)
        {
            var me = room.FindOccupantBySession(from);
            actorNick = me?.Nick;
            foreach (var item in items)
            {
                var reason = item.Element(Ns.MucAdmin + "reason")?.Value;
                if ((string?)item.Attribute("role") is { } role)
                {
                    if (!Roles.Contains(role)) throw BadRequest($"'{role}' is not a role");
                    var target = room.FindOccupant((string?)item.Attribute("nick") ?? "") ?? throw new StanzaErrorException(
                        StanzaError.Of(StanzaErrorCondition.ItemNotFound, "nobody has that nick in this room"));
                    if (me?.Role != "moderator" && !room.IsAdmin(from)) throw Forbidden("only moderators may change roles");
                    if (role == "moderator" && !room.IsAdmin(from)) throw Forbidden("only admins may grant moderator status");
                    // Nobody changes the role of someone of higher (or, for admins, equal) standing.
                    if (Rank(room.AffiliationOf(target.BareJid)) >= Rank(room.AffiliationOf(from)) && role is "none" or "visitor" && !target.BareJid.Equals(from.Bare))
                        throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAllowed, "you cannot do that to an occupant of equal or higher affiliation"));
                    target.Role = role == "none" ? target.Role : role;
                    affected.Add((target, role == "none" ? 307 : null, reason, role == "none"));
                    if (role == "none") room.RemoveOccupant(target);
                }
                else if ((string?)item.Attribute("affiliation") is { } affiliation)
                {
                    if (!Affiliations.Contains(affiliation)) throw BadRequest($"'{affiliation}' is not an affiliation");
                    if (!Jid.TryParse((string?)item.Attribute("jid"), out var jid) && room.FindOccupant((string?)item.Attribute("nick") ?? "") is { } byNick)
                        jid = byNick.BareJid;
                    if (jid is null) throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.JidMalformed, "name the user by 'jid'"));
                    jid = jid.Bare;
                    var current = room.AffiliationOf(jid);
                    var needsOwner = affiliation is "owner" or "admin" || current is "owner" or "admin";
                    if (needsOwner ? !room.IsOwner(from) : !room.IsAdmin(from))
                        throw Forbidden(needsOwner ? "only owners may change owners and admins" : "only admins may change affiliations");
                    if (current == "owner" && affiliation != "owner" && room.Affiliations.Count(a => a.Value == "owner") == 1)
                        throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Conflict, "a room always keeps one owner"));
                    if (affiliation == "none") room.Affiliations.Remove(jid);
                    else room.Affiliations[jid] = affiliation;
                    if (room.FindOccupantByJid(jid) is { } o)
                    {
                        var banned = affiliation == "outcast";
                        var lostMembership = room.Config.AllowedOnly && affiliation == "none";
                        if (banned || lostMembership) room.RemoveOccupant(o);
                        else o.Role = MucService.DefaultRole(room, jid);
                        affected.Add((o, banned ? 301 : lostMembership ? 321 : null, reason, banned || lostMembership));
                    }
                    // A banned MIX participant is removed on that face too.
                    if (affiliation == "outcast" && room.FindParticipant(jid) is { } p)
                    {
                        room.Remove(p);
                        bannedParticipants.Add(p);
                    }
                }
                else throw BadRequest("an item changes a role or an affiliation");
            }
        }
        await muc.Rooms.SaveRoomAsync(room, ct);
        foreach (var p in bannedParticipants)
        {
            await muc.Rooms.DeleteParticipantAsync(room, p, ct);
            if (muc.Mix is { } mix) await ParticipantEvents.NotifyAsync(mix, room, p, retract: true, ct);
        }
        foreach (var (o, code, reason, removed) in affected) await AnnounceAsync(room, o, code, reason, removed, ct, actorNick);
        if (affected.Any(a => a.Removed)) await occupancy.RemoveIfAbandonedAsync(room, ct);
        return null;
    }

    // The change is shown to everyone, and a removed occupant's clients are told why and, when the
    // moderator is in the room, by whom (XEP-0045 §kick, §ban: <actor nick/> before the reason).
    public async ValueTask AnnounceAsync(Room room, Occupant o, int? code, string? reason, bool removed, CancellationToken ct, string? actorNick = null)
    {
        List<Listener> audience;
        lock (room.Sync) audience = OccupantPresence.Audience(room);
        var extra = reason is null ? null : new XElement(Ns.MucUser + "reason", reason);
        XElement ByActor(XElement p)
        {
            if (removed && actorNick != null)
                p.Element(Ns.MucUser + "x")!.Element(Ns.MucUser + "item")!.AddFirst(new XElement(Ns.MucUser + "actor", new XAttribute("nick", actorNick)));
            return p;
        }
        if (removed)
        {
            foreach (var session in o.Sessions.Keys.ToList())
            {
                XElement p;
                lock (room.Sync) p = OccupantPresence.Build(muc, room, o, null, true, type: "unavailable", codes: code is { } c ? [c, 110] : [110], session: session, extra: extra);
                await muc.Broadcaster.EnqueueUnarchivedAsync(muc.Sender, ByActor(p), [session], ct);
            }
        }
        // The occupant's own sessions behind a relay are not in the relay's copy (the relay skips their nick): tell them directly.
        List<Listener> own;
        lock (room.Sync) own = removed ? [] : OccupantPresence.RelayedSessions(o).Select(s => new Listener(s, true)).ToList();
        foreach (var (session, sees) in audience.Concat(own))
        {
            if (o.Sessions.ContainsKey(session) && removed) continue;
            XElement p;
            lock (room.Sync) p = OccupantPresence.Build(muc, room, o, removed ? null : o.Sessions.Values.LastOrDefault(), sees,
                type: removed ? "unavailable" : null, codes: code is { } c ? [c] : null, extra: extra);
            await muc.Broadcaster.EnqueueUnarchivedAsync(muc.Sender, ByActor(p), [session], ct);
        }
    }

    private static int Rank(string affiliation) => affiliation switch { "owner" => 3, "admin" => 2, "member" => 1, _ => 0 };
    private static StanzaErrorException Forbidden(string text) => new(StanzaError.Of(StanzaErrorCondition.Forbidden, text));
    private static StanzaErrorException BadRequest(string text) => new(StanzaError.Of(StanzaErrorCondition.BadRequest, text));
}
