using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>
/// A local user's available presence to a proxy room: a join goes upstream from the session's
/// proxy JID, carrying the user's muc element and, to a master whose service speaks FMUC,
/// &lt;fmuc from='real JID'/&gt; (see <see cref="MasterServices"/>; until that is known the join
/// is held); a presence from a joined session is a status change; a new nick is refused, since
/// FMUC does not allow nick changes through a mirror. When the room already has a session
/// receiving its traffic, the master is asked for no history and the mirror replays its own
/// after the self-presence.
/// </summary>
public sealed class Joining
{
    private readonly MirrorService _mirror;

    public Joining(MirrorService mirror)
    {
        _mirror = mirror;
        Services = new MasterServices(mirror, ReleaseHeldAsync);
    }

    public MasterServices Services { get; }

    public async ValueTask OnAvailableAsync(XElement presence, Jid user, Jid master, Jid to, CancellationToken ct)
    {
        if (user.IsBare)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "rooms are entered from a full JID"));
        if (!_mirror.Settings.Serves(user))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "this mirror serves users of " + string.Join(", ", _mirror.Settings.Users)));

        var joining = presence.Element(Ns.Muc + "x") != null;
        var room = _mirror.Find(master);
        var session = room?.FindByLocal(user);
        if (room != null && session is { State: not SessionState.Leaving })
        {
            if (to.Resource != null && to.Resource != session.Nick)
                throw new StanzaErrorException(new StanzaError(StanzaErrorType.Modify, StanzaErrorCondition.NotAcceptable,
                    "nick changes are not possible through a mirror; leave the room and join it again"));
            // A rejoin: the master sends everything again.
            if (joining) await JoinUpstreamAsync(room, session, presence, ct, masterKnowsSession: session.HeldJoin is null);
            else if (session.HeldJoin is { } held) session.HeldJoin = WithNewStatus(held, presence);
            else
            {
                await _mirror.SendUpstreamAsync(MirrorService.Readdressed(presence, session.ProxyJid, room.Master.WithResource(session.Nick),
                    MirrorService.UserPayload(presence)), ct);
                session.Presence = StatusOf(presence);
                if (session.State == SessionState.Joined) await _mirror.SaveAsync(room, session, null, ct);
            }
            return;
        }

        if (to.Resource is null)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.JidMalformed, "enter a room as its proxy address with your nick as the resource"));
        if (!joining)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, "to enter, include <x xmlns='http://jabber.org/protocol/muc'/>"));

        room ??= _mirror.GetOrAdd(master);
        if (session is null)
        {
            session = _mirror.NewSession(room, user, to.Resource);
            room.Add(session);
        }
        else
        {
            // Joining again before the master confirmed the previous leave.
            session.Nick = to.Resource;
            session.JoinOrder = room.NextJoinOrder();
        }
        await JoinUpstreamAsync(room, session, presence, ct);
    }

    /// <param name="masterKnowsSession">
    /// The master has this session's join already: it must not wait, since a leave meanwhile must
    /// reach the master, so it goes with what was last known of the service, however old.
    /// </param>
    private async ValueTask JoinUpstreamAsync(ProxyRoom room, ProxySession session, XElement presence, CancellationToken ct,
        bool masterKnowsSession = false)
    {
        session.State = SessionState.Joining;
        session.Presence = StatusOf(presence);
        if (Services.SpeaksFmuc(room.Master.Domain, evenIfOld: masterKnowsSession) is not { } fmuc)
        {
            session.HeldJoin = presence;
            session.PendingReplay = null;
            await Services.AskAsync(room.Master.Domain, ct);
            return;
        }
        session.HeldJoin = null;
        // The room's traffic already reaches the mirror, so its history is here too.
        // A silent rejoin asks for none, and the user gets none: it has it all.
        if (room.HistoryGap && room.History.Count >= _mirror.Settings.HistorySize) room.HistoryGap = false;
        var historyHere = !session.SilentRejoin && !room.HistoryGap && room.HasJoinedSession && _mirror.Settings.HistorySize > 0;
        var muc = presence.Element(Ns.Muc + "x")!;
        session.PendingReplay = historyHere ? new HistoryReplay(muc.Element(Ns.Muc + "history")) : null;

        var children = MirrorService.UserPayload(presence).Select(child =>
        {
            if (child.Name != Ns.Muc + "x" || !historyHere) return child;
            var x = new XElement(child);
            x.Elements(Ns.Muc + "history").Remove();
            x.Add(new XElement(Ns.Muc + "history", new XAttribute("maxstanzas", "0")));
            return x;
        });
        // Only an FMUC master reads the real user from it; a plain MUC would show it to the room.
        if (fmuc) children = children.Append(new XElement(Ns.Fmuc + "fmuc", new XAttribute("from", session.Local.ToString())));
        await _mirror.SendUpstreamAsync(MirrorService.Readdressed(presence, session.ProxyJid, room.Master.WithResource(session.Nick), children), ct);
    }

    /// <summary>
    /// Enters a restored session again after the master forgot it, with its last presence, asking
    /// for no history; <see cref="Occupants"/> keeps the entry burst from the user, who never left.
    /// </summary>
    public ValueTask RejoinSilentlyAsync(ProxyRoom room, ProxySession session, CancellationToken ct)
    {
        session.SilentRejoin = true;
        var join = new XElement(Ns.Component + "presence", new XAttribute("id", Stanza.NewId()),
            session.Presence?.Elements().Select(e => new XElement(e)),
            new XElement(Ns.Muc + "x", new XElement(Ns.Muc + "history", new XAttribute("maxstanzas", "0"))));
        return JoinUpstreamAsync(room, session, join, ct);
    }

    /// <summary>A user's presence as it is kept for re-asserting: its payload without the muc element, unaddressed.</summary>
    private static XElement StatusOf(XElement presence) =>
        new(Ns.Component + "presence", MirrorService.UserPayload(presence).Where(e => e.Name != Ns.Muc + "x").Select(e => new XElement(e)));

    /// <summary>The service of <paramref name="service"/> is known now: the joins held for its rooms go upstream, oldest first.</summary>
    private async ValueTask ReleaseHeldAsync(string service, CancellationToken ct)
    {
        var held = _mirror.Rooms.Where(r => string.Equals(r.Master.Domain, service, StringComparison.OrdinalIgnoreCase))
            .SelectMany(r => r.Sessions.Where(s => s.HeldJoin != null).Select(s => (Room: r, Session: s)))
            .OrderBy(h => h.Session.JoinOrder).ToList();
        foreach (var (room, session) in held)
            await JoinUpstreamAsync(room, session, session.HeldJoin!, ct);
    }

    // A status change before the held join went out: the join carries the newest status.
    private static XElement WithNewStatus(XElement held, XElement presence)
    {
        var join = new XElement(presence);
        join.Add(new XElement(held.Element(Ns.Muc + "x")!));
        return join;
    }
}
