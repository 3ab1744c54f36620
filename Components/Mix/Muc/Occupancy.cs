using System.Xml.Linq;
using XmppGroupChat.Component.Routing;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Features;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Muc;

/// <summary>
/// Entering, changing nick or status, and exiting (XEP-0045 §enter, §changenick, §changepres,
/// §exit). Entering sends the others' presences, then self-presence (110, and 201/100/170/210
/// where they apply), then history, then the subject, then live traffic. A room that does not
/// exist is created (201) and stays locked until its owner configures it. Who may enter is the
/// room's join rules' (Features/).
/// </summary>
public sealed class Occupancy(MucService muc, DiscussionHistory history, ParticipantsAsOccupants participants)
{
    public void Declare(RouteTable routes)
    {
        foreach (var to in new[] { AddressKind.Entity, AddressKind.Resource })
        {
            routes.Presence(to, PresenceType.Available, "MUC: occupancy", OnPresenceAsync);
            routes.Presence(to, PresenceType.Unavailable, "MUC: occupancy", OnPresenceAsync);
        }
    }

    /// <summary>A presence to a room or an occupant address: enter, change nick or status, or exit.</summary>
    public async ValueTask OnPresenceAsync(XElement presence, CancellationToken ct)
    {
        var from = presence.GetFrom()!;
        var to = presence.GetTo()!;
        var available = presence.GetPresenceType() == PresenceType.Available;
        if (from.IsBare) throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "rooms are entered from a full JID"));

        var room = muc.FindRoom(presence);
        var current = room?.FindOccupantBySession(from);
        // A mirror or replica joining for one of its users: the room judges that user (seed 002, XEP-0282).
        var relayed = current is null && available ? muc.Relays.Recognise(presence, from) : null;
        var who = relayed?.RealJid ?? from;

        if (!available)
        {
            if (room != null && current != null) await ExitAsync(room, current, from, presence, ct);
            return;
        }
        if (to.Resource is null)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.JidMalformed, "enter a room as room@service/nick"));
        var joining = presence.Element(Ns.Muc + "x") != null;
        if (room != null && current != null)
        {
            if (current.Nick != to.Resource) await ChangeNickAsync(room, current, from, to.Resource, presence, ct);
            else if (joining) await EnterAsync(room, from, to.Resource, presence, created: false, current.Relayed.GetValueOrDefault(from), ct); // a rejoin gets everything again
            else await ChangeStatusAsync(room, current, from, presence, ct);
            return;
        }
        if (!joining)
            // Prosody treats presence without the muc element as no join; say so rather than create a room.
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, "to enter, include <x xmlns='http://jabber.org/protocol/muc'/>"));

        var created = false;
        if (room is null)
        {
            if (!muc.Settings.MayCreate(who))
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAllowed, "you may not create rooms on this service"));
            // Like Prosody: a room is temporary until configured otherwise.
            var config = RoomConfig.Empty.With(RoomNaming.NameField, to.Local!).With(Persistence.Field, false);
            room = await muc.Rooms.CreateAsync(muc.NewRoomJid(to.Local!), who, config, ct) ?? muc.RequireRoom(presence);
            room.Locked = room.IsOwner(who) && room.Occupants.Count == 0;
            created = room.Locked;
        }
        await EnterAsync(room, from, to.Resource, presence, created, relayed, ct);
    }

    /// <param name="from">The session: the client's full JID, or a relay's per-session address.</param>
    /// <param name="relayed">Set when a trusted relay entered for one of its users; the room then judges that user.</param>
    private async ValueTask EnterAsync(Room room, Jid from, string nick, XElement presence, bool created, RelayedSession? relayed, CancellationToken ct)
    {
        var who = relayed?.RealJid ?? from;
        // A DMUC replica keeps the roster and history itself and greets its user from them (XEP-0282 ENTER).
        var replica = relayed?.Relay.Kind == RelayKind.Replica;
        var payload = OccupantPresence.PayloadOf(presence);
        var existing = room.FindOccupant(nick);
        var attempt = new JoinAttempt(Face.Muc, who, nick, presence)
        {
            ExistingOccupant = existing != null && existing.BareJid.Equals(who.Bare) ? existing : null,
        };
        muc.Features.CheckJoin(room, attempt);

        var occupant = attempt.ExistingOccupant ?? new Occupant(nick, who.Bare, Moderation.DefaultRole(room, who), muc.OccupantId(room, who));
        if (attempt.ExistingOccupant is null) room.AddOccupant(occupant);
        occupant.Sessions[from] = payload;
        if (relayed != null) occupant.Relayed[from] = relayed;

        var deliveries = new Deliveries();
        if (!replica)
        {
            var seesJids = MucService.SeesJids(room, who);
            foreach (var o in room.Occupants.Where(o => o != occupant && o.Sessions.Count > 0))
                deliveries.Add(muc.Sender, OccupantPresence.Build(muc, room, o, o.Sessions.Values.Last(), seesJids), from);
            foreach (var p in participants.CurrentPresences(room, seesJids)) deliveries.Add(muc.Sender, p, from);
        }
        AddPresenceBroadcast(room, occupant, payload, except: from, deliveries);
        // If this user was shown as a MIX participant, the occupant now stands for them.
        if (room.FindParticipant(from.Bare) is { } alsoParticipant) participants.AddRefresh(room, alsoParticipant, deliveries);

        var codes = new List<int> { 110 };
        if (JidVisibility.ToEveryone(room.Config)) codes.Add(100);
        codes.Add(170); // every message is archived and readable through MAM
        if (created) codes.Add(201);
        var self = OccupantPresence.Build(muc, room, occupant, payload, withJid: true, codes: codes, session: from);
        // The replica adds the user to its distribution list and sends roster, self-presence, history and subject itself.
        if (replica) self.Add(new XElement(Ns.Dmuc + "x", new XElement(Ns.Dmuc + "enter", new XAttribute("jid", who.ToString()))));
        deliveries.Add(muc.Sender, self, from); // in order behind the others' presences
        await deliveries.SendAsync(ct);
        await muc.Conversation.PresenceChangedAsync(room, Change(occupant, from, payload), ct);
        if (replica) return;
        await history.SendAsync(room, from, presence.Element(Ns.Muc + "x")?.Element(Ns.Muc + "history"), ct);
        await SendSubjectAsync(room, from, ct);
    }

    private async ValueTask ChangeStatusAsync(Room room, Occupant occupant, Jid from, XElement presence, CancellationToken ct)
    {
        var payload = OccupantPresence.PayloadOf(presence);
        occupant.Sessions[from] = payload;
        var deliveries = new Deliveries();
        AddPresenceBroadcast(room, occupant, payload, except: null, deliveries);
        await deliveries.SendAsync(ct);
        await muc.Conversation.PresenceChangedAsync(room, Change(occupant, from, payload), ct);
    }

    private async ValueTask ChangeNickAsync(Room room, Occupant occupant, Jid from, string nick, XElement presence, CancellationToken ct)
    {
        // Seed 002's business rule, kept for DMUC replicas too: a relay's user keeps the nick it entered with.
        if (occupant.Relayed.ContainsKey(from))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable, "nick changes are not possible through a mirror or replica"));
        muc.Features.Nicks.RequireFree(room, nick, occupant.BareJid);
        var deliveries = new Deliveries();
        // Unavailable from the old nick with 303 and the new nick, then presence from the new one.
        foreach (var (session, sees) in OccupantPresence.Audience(room))
        {
            var codes = session.Equals(from) || occupant.Sessions.ContainsKey(session) ? new[] { 303, 110 } : new[] { 303 };
            deliveries.Add(muc.Sender, OccupantPresence.Build(muc, room, occupant, null, sees, type: "unavailable", codes: codes, newNick: nick, session: from), session);
        }
        room.RenameOccupant(occupant, nick);
        var payload = OccupantPresence.PayloadOf(presence);
        occupant.Sessions[from] = payload;
        AddPresenceBroadcast(room, occupant, payload, except: null, deliveries);
        await deliveries.SendAsync(ct);
    }

    /// <param name="goneRelay">A relay that is gone (see <see cref="ExitRelayAsync"/>): neither it nor the session behind it hears of the exit.</param>
    private async ValueTask ExitAsync(Room room, Occupant occupant, Jid from, XElement presence, CancellationToken ct, Jid? goneRelay = null)
    {
        var relayedBy = occupant.Relayed.GetValueOrDefault(from);
        occupant.RemoveSession(from);
        var gone = occupant.Sessions.Count == 0;
        if (gone) room.RemoveOccupant(occupant);
        var status = presence.Element(Ns.Component + "status") ?? presence.Element(Ns.Client + "status");
        var deliveries = new Deliveries();
        // The leaving client always learns it is out; the others only when the last session leaves.
        var self = OccupantPresence.Build(muc, room, occupant, null, true, type: "unavailable", codes: [110], session: from);
        if (status != null) self.AddFirst(new XElement(Ns.Component + "status", status.Value));
        if (relayedBy?.Relay.Kind == RelayKind.Replica) // XEP-0282 LEAVE: the replica drops the user from its distribution list
            self.Add(new XElement(Ns.Dmuc + "x", new XElement(Ns.Dmuc + "leave", new XAttribute("jid", relayedBy.RealJid.ToString()))));
        if (goneRelay is null) deliveries.Add(muc.Sender, self, from);
        if (gone)
        {
            foreach (var (session, sees) in OccupantPresence.Audience(room).Where(l => !l.Session.Equals(goneRelay)))
            {
                var p = OccupantPresence.Build(muc, room, occupant, null, sees, type: "unavailable", session: from);
                if (status != null) p.AddFirst(new XElement(Ns.Component + "status", status.Value));
                deliveries.Add(muc.Sender, p, session);
            }
            if (room.FindParticipant(occupant.BareJid) is { } alsoParticipant) participants.AddRefresh(room, alsoParticipant, deliveries);
        }
        await deliveries.SendAsync(ct);
        await muc.Conversation.PresenceChangedAsync(room, Change(occupant, from, null), ct);
        if (gone) await muc.Conversation.RemoveIfAbandonedAsync(room, ct);
    }

    /// <summary>Takes one client out of the room as if it had left (its deliveries bounce).</summary>
    public ValueTask ExitSessionAsync(Room room, Occupant occupant, Jid session, CancellationToken ct) =>
        ExitAsync(room, occupant, session, new XElement(Ns.Component + "presence"), ct);

    /// <summary>
    /// An error from a relay's room, its bare JID (a restarted mirror that no longer knows the room,
    /// or its server bouncing for it while it is down): every session behind that relay is out, so
    /// the room stops sending to it.
    /// </summary>
    public async ValueTask ExitRelayAsync(Room room, Jid relay, CancellationToken ct)
    {
        var behind = room.Occupants.SelectMany(o => o.Relayed.Where(r => r.Value.Relay.Address.Equals(relay)).Select(r => (o, r.Key))).ToList();
        foreach (var (o, session) in behind)
            await ExitAsync(room, o, session, new XElement(Ns.Component + "presence"), ct, goneRelay: relay);
        if (behind.Count > 0) RoomHostLog.RelayGone(muc.Logger, relay.ToString(), muc.RoomJid(room).ToString(), behind.Count);
    }

    /// <summary>A bounce from an occupant's client: it is gone (XEP-0045 §service-error-kick, simplified to that session); from a relay's room, all behind it are.</summary>
    public async ValueTask OnBounceAsync(XElement error, CancellationToken ct)
    {
        var from = error.GetFrom()!;
        if (muc.FindRoom(error) is not { } room) return;
        if (from.IsBare)
        {
            await ExitRelayAsync(room, from, ct);
            return;
        }
        if (room.FindOccupantBySession(from) is { } o) await ExitSessionAsync(room, o, from, ct);
    }

    /// <summary>An occupant's presence for everyone in the room (its own clients with 110), and for its own sessions behind relays.</summary>
    public void AddPresenceBroadcast(Room room, Occupant occupant, XElement payload, Jid? except, Deliveries deliveries)
    {
        var ownBehindRelays = OccupantPresence.RelayedSessions(occupant).Select(s => new Listener(s, true));
        foreach (var (session, sees) in OccupantPresence.Audience(room).Concat(ownBehindRelays))
        {
            if (session.Equals(except)) continue;
            var mine = occupant.Sessions.ContainsKey(session);
            deliveries.Add(muc.Sender, OccupantPresence.Build(muc, room, occupant, payload, sees || mine, codes: mine ? [110] : null), session);
        }
    }

    public ValueTask SendSubjectAsync(Room room, Jid to, CancellationToken ct) => muc.SendAsync(SubjectMessage(room), to, ct);

    /// <summary>The subject as a room sends it (always, empty when unset), from whoever set it.</summary>
    public XElement SubjectMessage(Room room)
    {
        var from = room.SubjectBy is { } by ? muc.OccupantJid(room, by) : muc.RoomJid(room).ToString();
        return new XElement(Ns.Component + "message", new XAttribute("from", from), new XAttribute("type", "groupchat"),
            new XAttribute("id", Stanza.NewId()), new XElement(Ns.Component + "subject", room.Subject ?? ""));
    }

    private PresenceChange Change(Occupant o, Jid session, XElement? payload) =>
        new(Face.Muc, new Speaker(o.OccupantId, o.Nick, o.BareJid), session, payload, Occupant: o);
}
