using System.Xml.Linq;
using XmppGroupChat.Component.Routing;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Features;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Muc;

/// <summary>
/// Moderators and admins (XEP-0045 §kick, §grantvoice, §ban, §grantmember, §grantadmin, §grantowner
/// and the list requests): role changes by nick, affiliation changes by JID, and the lists.
/// Affiliations are the room's, shared with the MIX face (owners, administrators, allowed, banned),
/// so a ban takes the user out on every face.
/// </summary>
public sealed class RoomAdmin(MucService muc)
{
    public void Declare(RouteTable routes)
    {
        routes.Iq(AddressKind.Entity, IqType.Get, Ns.MucAdmin + "query", "MUC: admin", GetAsync);
        routes.Iq(AddressKind.Entity, IqType.Set, Ns.MucAdmin + "query", "MUC: admin", SetAsync);
    }

    private ValueTask<XElement?> GetAsync(XElement iq, CancellationToken ct)
    {
        var room = muc.RequireRoom(iq);
        var from = iq.GetFrom()!;
        var item = iq.GetPayload()!.Element(Ns.MucAdmin + "item")
                   ?? throw BadRequest("name an affiliation or role to list");
        var result = new XElement(Ns.MucAdmin + "query");
        var me = room.FindOccupantBySession(from);
        if ((string?)item.Attribute("affiliation") is { } a)
        {
            if (!Affiliations.TryParse(a, out var affiliation)) throw BadRequest($"'{a}' is not an affiliation");
            if (!room.IsAdmin(from) && !(affiliation == Affiliation.Member && me != null))
                throw Forbidden("only admins may see this list");
            foreach (var jid in room.WithAffiliation(affiliation))
            {
                var e = new XElement(Ns.MucAdmin + "item", new XAttribute("affiliation", affiliation.ToXml()), new XAttribute("jid", jid.ToString()));
                if (room.FindOccupantByJid(jid) is { } o) e.SetAttributeValue("nick", o.Nick);
                result.Add(e);
            }
        }
        else if ((string?)item.Attribute("role") is { } r)
        {
            if (!Roles.TryParse(r, out var role)) throw BadRequest($"'{r}' is not a role");
            if (me?.Role != Role.Moderator) throw Forbidden("only moderators may see this list");
            foreach (var o in room.Occupants.Where(o => o.Role == role))
                result.Add(new XElement(Ns.MucAdmin + "item", new XAttribute("role", role.ToXml()), new XAttribute("nick", o.Nick),
                    new XAttribute("jid", o.BareJid.ToString()), new XAttribute("affiliation", room.AffiliationOf(o.BareJid).ToXml())));
        }
        else throw BadRequest("name an affiliation or role to list");
        return ValueTask.FromResult<XElement?>(result);
    }

    private async ValueTask<XElement?> SetAsync(XElement iq, CancellationToken ct)
    {
        var room = muc.RequireRoom(iq);
        var from = iq.GetFrom()!;
        var items = iq.GetPayload()!.Elements(Ns.MucAdmin + "item").ToList();
        if (items.Count == 0) throw BadRequest("no item to change");
        var affected = new List<(Occupant Occupant, int? Code, string? Reason, bool Removed)>();
        var me = room.FindOccupantBySession(from);
        var actorNick = me?.Nick;
        string? banReason = null;
        var banned = false;
        foreach (var item in items)
        {
            var reason = item.Element(Ns.MucAdmin + "reason")?.Value;
            if ((string?)item.Attribute("role") is { } r)
            {
                if (!Roles.TryParse(r, out var role)) throw BadRequest($"'{r}' is not a role");
                var target = room.FindOccupant((string?)item.Attribute("nick") ?? "")
                             ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, "nobody has that nick in this room"));
                if (me?.Role != Role.Moderator && !room.IsAdmin(from)) throw Forbidden("only moderators may change roles");
                if (role == Role.Moderator && !room.IsAdmin(from)) throw Forbidden("only admins may grant moderator status");
                // Nobody changes the role of someone of higher (or, for admins, equal) standing.
                if (room.AffiliationOf(target.BareJid).Rank() >= room.AffiliationOf(from).Rank() && role is Role.None or Role.Visitor && !target.BareJid.Equals(from.Bare))
                    throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAllowed, "you cannot do that to an occupant of equal or higher affiliation"));
                if (role != Role.None) target.Role = role;
                affected.Add((target, role == Role.None ? 307 : null, reason, role == Role.None));
                if (role == Role.None) room.RemoveOccupant(target);
            }
            else if ((string?)item.Attribute("affiliation") is { } a)
            {
                if (!Affiliations.TryParse(a, out var affiliation)) throw BadRequest($"'{a}' is not an affiliation");
                if (!Jid.TryParse((string?)item.Attribute("jid"), out var jid) && room.FindOccupant((string?)item.Attribute("nick") ?? "") is { } byNick)
                    jid = byNick.BareJid;
                if (jid is null) throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.JidMalformed, "name the user by 'jid'"));
                jid = jid.Bare;
                var current = room.AffiliationOf(jid);
                var needsOwner = affiliation.IsAdminOrOwner() || current.IsAdminOrOwner();
                if (needsOwner ? !room.IsOwner(from) : !room.IsAdmin(from))
                    throw Forbidden(needsOwner ? "only owners may change owners and admins" : "only admins may change affiliations");
                if (current == Affiliation.Owner && affiliation != Affiliation.Owner && room.WithAffiliation(Affiliation.Owner).Count() == 1)
                    throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Conflict, "a room always keeps one owner"));
                room.SetAffiliation(jid, affiliation);
                if (affiliation == Affiliation.Outcast)
                {
                    // Taken out on every face once the change is saved (RoomConversation.BannedAsync).
                    banned = true;
                    banReason ??= reason;
                    continue;
                }
                if (room.FindOccupantByJid(jid) is { } o)
                {
                    var lostMembership = MembersOnly.IsOn(room.Config) && affiliation == Affiliation.None;
                    if (lostMembership) room.RemoveOccupant(o);
                    else o.Role = Moderation.DefaultRole(room, jid);
                    affected.Add((o, lostMembership ? 321 : null, reason, lostMembership));
                }
            }
            else throw BadRequest("an item changes a role or an affiliation");
        }
        await muc.Rooms.SaveRoomAsync(room, ct);
        var deliveries = new Deliveries();
        foreach (var (o, code, reason, removed) in affected) OccupantAnnouncements.Add(muc, room, o, code, reason, removed, removed ? actorNick : null, deliveries);
        await deliveries.SendAsync(ct);
        if (banned) await muc.Conversation.BannedAsync(room, new Ban(Face.Muc, actorNick, banReason), ct);
        if (banned || affected.Any(a => a.Removed)) await muc.Conversation.RemoveIfAbandonedAsync(room, ct);
        return null;
    }

    private static StanzaErrorException Forbidden(string text) => new(StanzaError.Of(StanzaErrorCondition.Forbidden, text));
    private static StanzaErrorException BadRequest(string text) => new(StanzaError.Of(StanzaErrorCondition.BadRequest, text));
}
