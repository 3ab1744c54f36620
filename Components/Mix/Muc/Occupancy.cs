using System.Xml.Linq;
using XmppGroupChat.Component;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Muc;

/// <summary>
/// Entering, changing nick or status, and exiting (XEP-0045 §enter, §changenick, §changepres,
/// §exit). Entering sends the others' presences, then self-presence (110, and 201/100/170/210
/// where they apply), then history, then the subject, then live traffic. A room that does not
/// exist is created (201) and stays locked until its owner configures it.
/// </summary>
public sealed class Occupancy(MucService muc, DiscussionHistory history, ParticipantsAsOccupants faces)
{
    public void Register(StanzaRouter router) => router.OnPresence(OnPresenceAsync, p => p.GetTo()!.Local != null);

    private async ValueTask OnPresenceAsync(XElement presence, CancellationToken ct)
    {
        var from = presence.GetFrom()!;
        var to = presence.GetTo()!;
        var type = presence.GetStanzaType();
        if (type is "error") { await ForgetSessionAsync(from, to, ct); return; }
        if (type is not (null or "unavailable")) return; // subscriptions and probes are not for rooms
        if (from.IsBare) throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "rooms are entered from a full JID"));

        var room = muc.FindRoom(presence);
        Occupant? current;
        lock (room?.Sync ?? this) current = room?.FindOccupantBySession(from);
        // A mirror or replica joining for one of its users: the room judges that user (seed 002, XEP-0282).
        var relayed = current is null && type is null ? muc.Relays.Recognise(presence, from) : null;
        var who = relayed?.RealJid ?? from;

        if (type == "unavailable")
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
            var config = new RoomConfig();
            config.Set(RoomConfig.NameField, to.Local!);
            config.Set(RoomConfig.PersistentField, "false"); // like Prosody: a room is temporary until configured otherwise
            room = await muc.Rooms.CreateAsync(Jid.Create(to.Local, muc.RoomDomain), who, config, ct)
                   ?? muc.RequireRoom(presence); // created by someone else meanwhile
            lock (room.Sync) room.Locked = room.IsOwner(who) && room.Occupants.Count == 0;
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
        Occupant occupant;
        bool newOccupant;
        List<XElement> othersToJoiner;
        lock (room.Sync)
        {
            room.RequireNotRemoved();
            if (room.Locked && !room.IsOwner(who))
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, "the room is being set up; try again shortly"));
            if (room.IsBanned(who))
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "you are banned from this room"));
            if (!room.IsAllowed(who))
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.RegistrationRequired, "this room is members-only"));
            if (room.Config.Password is { } password && !room.IsOwner(who) &&
                presence.Element(Ns.Muc + "x")?.Element(Ns.Muc + "password")?.Value != password)
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAuthorized, "this room needs a password"));
            var existing = room.FindOccupant(nick);
            if ((existing != null && !existing.BareJid.Equals(who.Bare)) || room.NickTaken(nick, who.Bare))
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Conflict, "that nick is in use in this room"));
            if (existing is null && muc.Rooms.NickOwner(nick) is { } owner && !owner.BareEquals(who))
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Conflict, "that nick is registered by someone else"));
            if (existing is null && room.Config.MaxUsers > 0 && room.Occupants.Count >= room.Config.MaxUsers && !room.IsAdmin(who))
                throw new StanzaErrorException(new StanzaError(StanzaErrorType.Wait, StanzaErrorCondition.ServiceUnavailable, "the room is full"));

            newOccupant = existing is null;
            occupant = existing ?? new Occupant(nick, who.Bare, MucService.DefaultRole(room, who), muc.OccupantId(room, who));
            if (newOccupant) room.AddOccupant(occupant);
            occupant.Sessions[from] = payload;
            if (relayed != null) occupant.Relayed[from] = relayed;

            var seesJids = MucService.SeesJids(room, who);
            othersToJoiner = replica ? [] : room.Occupants.Where(o => o != occupant && o.Sessions.Count > 0)
                .Select(o => OccupantPresence.Build(muc, room, o, o.Sessions.Values.Last(), seesJids))
                .Concat(faces.CurrentPresences(room, seesJids)).ToList();
        }

        foreach (var p in othersToJoiner) await SendAsync(p, [from], ct);
        await BroadcastPresenceAsync(room, occupant, payload, except: from, ct: ct);
        await faces.OccupantChangedAsync(room, occupant, from, payload, ct);
        // If this user was shown as a MIX participant, the occupant now stands for them.
        Participant? alsoParticipant;
        lock (room.Sync) alsoParticipant = room.FindParticipant(from.Bare);
        if (alsoParticipant != null) await faces.ParticipantChangedAsync(room, alsoParticipant, ct);

        var codes = new List<int> { 110 };
        XElement self;
        lock (room.Sync)
        {
            if (room.Config.JidsVisible) codes.Add(100);
            codes.Add(170); // every message is archived and readable through MAM
            if (created) codes.Add(201);
            self = OccupantPresence.Build(muc, room, occupant, payload, withJid: true, codes: codes, session: from);
        }
        if (replica)
        {
            // The replica adds the user to its distribution list and sends roster, self-presence, history and subject itself.
            self.Add(new XElement(Ns.Dmuc + "x", new XElement(Ns.Dmuc + "enter", new XAttribute("jid", who.ToString()))));
            await SendAsync(self, [from], ct);
            return;
        }
        await SendAsync(self, [from], ct); // in order behind the others' presences
        await history.SendAsync(room, from, presence.Element(Ns.Muc + "x")?.Element(Ns.Muc + "history"), ct);
        await SendSubjectAsync(room, from, ct);
    }

    private async ValueTask ChangeStatusAsync(Room room, Occupant occupant, Jid from, XElement presence, CancellationToken ct)
    {
        var payload = OccupantPresence.PayloadOf(presence);
        lock (room.Sync) occupant.Sessions[from] = payload;
        await BroadcastPresenceAsync(room, occupant, payload, except: null, ct: ct);
        await faces.OccupantChangedAsync(room, occupant, from, payload, ct);
    }

    private async ValueTask ChangeNickAsync(Room room, Occupant occupant, Jid from, string nick, XElement presence, CancellationToken ct)
    {
        string oldNick;
        lock (room.Sync)
        {
            // Seed 002's business rule, kept for DMUC replicas too: a relay's user keeps the nick it entered with.
            if (occupant.Relayed.ContainsKey(from))
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable, "nick changes are not possible through a mirror or replica"));
            if ((room.FindOccupant(nick) is { } other && other != occupant) || room.NickTaken(nick, occupant.BareJid))
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Conflict, "that nick is in use in this room"));
            if (muc.Rooms.NickOwner(nick) is { } owner && !owner.BareEquals(occupant.BareJid))
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Conflict, "that nick is registered by someone else"));
            oldNick = occupant.Nick;
        }
        // Unavailable from the old nick with 303 and the new nick, then presence from the new one.
        foreach (var (session, sees) in Audience(room))
        {
            XElement gone;
            lock (room.Sync)
            {
                var codes = session.Equals(from) || occupant.Sessions.ContainsKey(session) ? new[] { 303, 110 } : new[] { 303 };
                gone = OccupantPresence.Build(muc, room, occupant, null, sees, type: "unavailable", codes: codes, newNick: nick, session: from);
            }
            await SendAsync(gone, [session], ct);
        }
        lock (room.Sync)
        {
            room.RenameOccupant(occupant, nick);
            occupant.Sessions[from] = OccupantPresence.PayloadOf(presence);
        }
        await BroadcastPresenceAsync(room, occupant, OccupantPresence.PayloadOf(presence), except: null, ct: ct);
    }

    /// <param name="goneRelay">A relay that is gone (see <see cref="ExitRelayAsync"/>): neither it nor the session behind it hears of the exit.</param>
    private async ValueTask ExitAsync(Room room, Occupant occupant, Jid from, XElement presence, CancellationToken ct, Jid? goneRelay = null)
    {
        bool gone;
        RelayedSession? relayedBy;
        List<Listener> audience;
        lock (room.Sync)
        {
            relayedBy = occupant.Relayed.GetValueOrDefault(from);
            occupant.RemoveSession(from);
            gone = occupant.Sessions.Count == 0;
            if (gone) room.RemoveOccupant(occupant);
            audience = OccupantPresence.Audience(room).Where(l => !l.Session.Equals(goneRelay)).ToList();
        }
        var status = presence.Element(Ns.Component + "status") ?? presence.Element(Ns.Client + "status");
        // The leaving client always learns it is out; the others only when the last session leaves.
        var self = OccupantPresence.Build(muc, room, occupant, null, true, type: "unavailable", codes: [110], session: from);
        if (status != null) self.AddFirst(new XElement(Ns.Component + "status", status.Value));
        if (relayedBy?.Relay.Kind == RelayKind.Replica) // XEP-0282 LEAVE: the replica drops the user from its distribution list
            self.Add(new XElement(Ns.Dmuc + "x", new XElement(Ns.Dmuc + "leave", new XAttribute("jid", relayedBy.RealJid.ToString()))));
        if (goneRelay is null) await SendAsync(self, [from], ct);
        await faces.OccupantChangedAsync(room, occupant, from, null, ct);
        if (gone)
        {
            foreach (var (session, sees) in audience)
            {
                var p = OccupantPresence.Build(muc, room, occupant, null, sees, type: "unavailable", session: from);
                if (status != null) p.AddFirst(new XElement(Ns.Component + "status", status.Value));
                await SendAsync(p, [session], ct);
            }
            Participant? alsoParticipant;
            lock (room.Sync) alsoParticipant = room.FindParticipant(occupant.BareJid);
            if (alsoParticipant != null) await faces.ParticipantChangedAsync(room, alsoParticipant, ct);
            await RemoveIfAbandonedAsync(room, ct);
        }
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
        List<(Occupant Occupant, Jid Session)> behind;
        lock (room.Sync)
            behind = room.Occupants.SelectMany(o => o.Relayed.Where(r => r.Value.Relay.Address.Equals(relay)).Select(r => (o, r.Key))).ToList();
        foreach (var (o, session) in behind)
            await ExitAsync(room, o, session, new XElement(Ns.Component + "presence"), ct, goneRelay: relay);
        if (behind.Count > 0) XmppGroupChat.Mix.Log.RelayGone(muc.Logger, relay.ToString(), muc.RoomJid(room).ToString(), behind.Count);
    }

    /// <summary>A bounce from an occupant's client: it is gone (XEP-0045 §service-error-kick, simplified to that session); from a relay's room, all behind it are.</summary>
    private async ValueTask ForgetSessionAsync(Jid from, Jid to, CancellationToken ct)
    {
        if (to.Local is null) return;
        var room = muc.Rooms.Find(Jid.Create(to.Local, muc.RoomDomain));
        if (room is null) return;
        if (from.IsBare)
        {
            await ExitRelayAsync(room, from, ct);
            return;
        }
        Occupant? o;
        lock (room.Sync) o = room.FindOccupantBySession(from);
        if (o != null) await ExitAsync(room, o, from, new XElement(Ns.Component + "presence"), ct);
    }

    /// <summary>A temporary room with nobody in it on either face goes away (XEP-0045 temporary rooms; the OLPC profile).</summary>
    public async ValueTask RemoveIfAbandonedAsync(Room room, CancellationToken ct)
    {
        lock (room.Sync)
        {
            if (room.Removed || room.Config.Persistent || room.Occupants.Count > 0 || room.ParticipantCount > 0) return;
            room.MarkRemoved();
        }
        await muc.Rooms.DestroyAsync(room, ct);
        await muc.Archive.DeleteArchiveAsync(room.Jid.ToString(), ct);
    }

    public async ValueTask BroadcastPresenceAsync(Room room, Occupant occupant, XElement payload, Jid? except, CancellationToken ct)
    {
        List<Jid> ownBehindRelays;
        lock (room.Sync) ownBehindRelays = OccupantPresence.RelayedSessions(occupant);
        foreach (var (session, sees) in Audience(room).Concat(ownBehindRelays.Select(s => new Listener(s, true))))
        {
            if (session.Equals(except)) continue;
            XElement p;
            lock (room.Sync)
            {
                var mine = occupant.Sessions.ContainsKey(session);
                p = OccupantPresence.Build(muc, room, occupant, payload, sees || mine, codes: mine ? [110] : null);
            }
            await SendAsync(p, [session], ct);
        }
    }

    public async ValueTask SendSubjectAsync(Room room, Jid to, CancellationToken ct)
    {
        XElement message;
        lock (room.Sync)
        {
            var from = room.SubjectBy is { } by ? muc.OccupantJid(room, by) : muc.RoomJid(room).ToString();
            message = new XElement(Ns.Component + "message", new XAttribute("from", from), new XAttribute("type", "groupchat"),
                new XAttribute("id", Stanza.NewId()), new XElement(Ns.Component + "subject", room.Subject ?? ""));
        }
        await SendAsync(message, [to], ct);
    }

    private List<Listener> Audience(Room room)
    {
        lock (room.Sync) return OccupantPresence.Audience(room);
    }

    private ValueTask SendAsync(XElement stanza, IEnumerable<Jid> to, CancellationToken ct) =>
        muc.Broadcaster.EnqueueUnarchivedAsync(muc.Sender, stanza, to.ToList(), ct);
}
