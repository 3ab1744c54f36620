using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>
/// A local user enters R/Nick (XEP-0282 §enter, addressable form). The replica registers with the
/// primary first if it does not hold the room, then sends the enter from R/&lt;sid&gt; naming the user;
/// the primary judges the real user and answers with &lt;enter/&gt; (or a join error). On &lt;enter/&gt;
/// the replica sends the user, from its own copy: the others' presences, the user's own presence
/// (110), the history and the subject. A rejoin gets that again without asking the primary; a
/// presence without the muc element from a joined session is a status change.
/// </summary>
public sealed class Entering(ReplicaService replica, Registration registration, ReplicaHistory history, PresenceChanges changes, Membership membership)
{
    public async ValueTask OnUserPresenceAsync(XElement presence, CancellationToken ct)
    {
        var from = presence.GetFrom()!;
        var to = presence.GetTo()!;
        if (from.IsBare) throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "rooms are entered from a full JID"));
        var primary = replica.Addresses.PrimaryOf(to)
                      ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound,
                          "not a replica room: the address is the room's JID, escaped (XEP-0106), at this service"));
        if (to.Resource is not { } nick)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.JidMalformed, "enter a room as room@service/nick"));
        if (!from.Domain.Equals(replica.Settings.ServedDomain, StringComparison.Ordinal))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAllowed, $"this replica serves users of {replica.Settings.ServedDomain} only"));
        var muc = presence.Element(Ns.Muc + "x");

        for (var attempt = 0; ; attempt++)
        {
            var room = replica.Rooms.Find(primary);
            if (room is null)
            {
                if (muc is null)
                    throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, "to enter, include <x xmlns='http://jabber.org/protocol/muc'/>"));
                room = replica.Rooms.GetOrAdd(primary, () => new ReplicatedRoom(primary, replica.Addresses.RoomOf(primary)));
            }
            using var _ = await ReplicaService.LockAsync(room, ct);
            if (room.Forgotten)
            {
                if (attempt < 3) continue; // let go of meanwhile: a new one is made
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.InternalServerError, "the room is being let go of; try again"));
            }
            await EnterAsync(room, presence, from, nick, muc, ct);
            return;
        }
    }

    private async ValueTask EnterAsync(ReplicatedRoom room, XElement presence, Jid from, string nick, XElement? muc, CancellationToken ct)
    {
        if (room.Sessions.TryGetValue(from, out var session))
        {
            if (session.Nick != nick)
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable,
                    "this replica does not change nicks: leave the room and enter again with the new nick"));
            if (muc != null && session.State == SessionState.Leaving && room.Link == PrimaryLink.Live)
            {
                // Back before the primary confirmed the leave (a client reconnecting): the enter follows the leave upstream.
                session.EnteringAgain = true;
                session.Payload = Presences.PayloadOf(presence);
                session.UserMuc = new XElement(muc);
                session.HistoryRequest = muc.Element(Ns.Muc + "history") is { } again ? new XElement(again) : null;
                await replica.SendAsync(Upstream.Enter(room, session, muc), ct);
            }
            else if (muc is null) await changes.OnStatusAsync(room, session, presence, ct);
            else if (session.State == SessionState.Joined) await SendRoomAsync(room, session, muc.Element(Ns.Muc + "history"), ct);
            return; // an enter repeated while the first is on its way needs nothing more
        }
        if (muc is null)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, "to enter, include <x xmlns='http://jabber.org/protocol/muc'/>"));
        if (room.Link == PrimaryLink.Split)
            throw new StanzaErrorException(new StanzaError(StanzaErrorType.Wait, StanzaErrorCondition.RecipientUnavailable,
                "the room's primary is unreachable (netsplit): entering is not possible until it is back"));

        session = new LocalSession(from, nick, replica.Addresses.SessionId(from, room.Primary))
        {
            Payload = Presences.PayloadOf(presence),
            UserMuc = new XElement(muc),
            HistoryRequest = muc.Element(Ns.Muc + "history") is { } h ? new XElement(h) : null,
        };
        room.Sessions[from] = session;
        switch (room.Link)
        {
            case PrimaryLink.Live:
                await replica.SendAsync(Upstream.Enter(room, session, muc), ct);
                break;
            case PrimaryLink.Unregistered:
                await replica.Store.SaveRoomAsync(room, ct);
                registration.Start(room, again: room.Joined.Any()); // a restored room lists its sessions
                break;
            // Registering: the enter goes once the registration completes (Netjoin).
        }
    }

    /// <summary>The primary admitted a session: &lt;enter/&gt; to R/&lt;sid&gt;. Caller holds the gate.</summary>
    public async ValueTask OnEnteredAsync(ReplicatedRoom room, LocalSession? session, XElement presence, CancellationToken ct)
    {
        var from = presence.GetFrom()!;
        if (session is null)
        {
            // A session that left meanwhile (or that the replica never had): leave for it, so no ghost stays.
            await replica.SendAsync(Stanza.Presence(presence.GetTo(), from, "unavailable"), ct);
            return;
        }
        var self = new XElement(presence);
        self.SetAttributeValue("to", null);
        self.Elements(Ns.Dmuc + "x").Remove();
        session.Self = self;
        if (Presences.StatusCodes(self).Contains(100) && !room.NonAnonymous)
        {
            room.NonAnonymous = true;
            await replica.Store.SaveRoomAsync(room, ct);
        }
        var entered = session.State == SessionState.Entering;
        session.State = SessionState.Joined;
        session.UserMuc = null;
        await replica.Store.SaveSessionAsync(room, session, ct);
        if (!room.Roster.ContainsKey(session.Nick))
        {
            var entry = new RosterEntry(session.Nick, Presences.WithoutStatusCodes(self));
            room.Roster[session.Nick] = entry;
            await replica.Store.SaveOccupantAsync(room, entry, ct);
        }
        // Re-admitted at a netjoin: the user is in already and has seen the room.
        if (!entered) return;
        var request = session.HistoryRequest;
        session.HistoryRequest = null;
        await SendRoomAsync(room, session, request, ct);
    }

    /// <summary>The primary refused the enter: the user gets the error from R/Nick. Caller holds the gate.</summary>
    public async ValueTask OnRefusedAsync(ReplicatedRoom room, LocalSession session, XElement error, CancellationToken ct)
    {
        room.Sessions.Remove(session.User);
        await replica.Store.DeleteSessionAsync(room, session, ct);
        var reason = StanzaError.FromStanza(error) ?? StanzaError.Of(StanzaErrorCondition.UndefinedCondition);
        await replica.SendAsync(Presences.EnterError(room.Address.WithResource(session.Nick), session.User, reason), ct);
        await membership.ForgetIfEmptyAsync(room, ct);
    }

    /// <summary>What an entering user gets from the replica's copy: the others, itself (110), the history, the subject.</summary>
    private async ValueTask SendRoomAsync(ReplicatedRoom room, LocalSession session, XElement? historyRequest, CancellationToken ct)
    {
        var sees = room.SeesJids(session);
        foreach (var entry in room.Roster.Values.Where(e => e.Nick != session.Nick).ToList())
            await replica.SendAsync(LocalView.For(room, entry.Presence, session.User, sees), ct);
        if (session.Self is { } self)
            await replica.SendAsync(LocalView.For(room, self, session.User, seesJids: true, addCodes: [110]), ct);
        await history.SendAsync(room, session, historyRequest, ct);
        var subject = room.Subject ?? new XElement(Ns.Component + "message", new XAttribute("from", room.Primary.ToString()),
            new XAttribute("type", "groupchat"), new XElement(Ns.Component + "subject"));
        var shown = LocalView.For(room, subject, session.User, seesJids: false);
        shown.SetAttributeValue("id", Stanza.NewId());
        await replica.SendAsync(shown, ct);
    }
}
