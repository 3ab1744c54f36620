using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>
/// IQs through the proxy room. A joined user's request to the room (disco, MAM, …) or to an
/// occupant (room/Nick, e.g. XEP-0410 self-ping) goes to the master from the session's proxy JID
/// under an id of the mirror's, and the answer comes back to the user from the address they
/// asked, under their id. The master's requests to a session (an occupant's vCard query, say) go
/// the other way. A disco#info from a user who has not joined is asked from the proxy bare JID,
/// since clients look at a room before entering it; any other request needs a session.
/// </summary>
public sealed partial class IqRelay(MirrorService mirror, Recovery recovery)
{
    private const int MaxPending = 1024;

    // Answers on their way back, by the id the mirror gave the request; the oldest are forgotten first.
    private readonly Dictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>Where the answer to a relayed request goes: from whom it must come, and as what it is passed on.</summary>
    /// <param name="Request">A user's request relayed from their session's proxy JID (kept to send it again after a silent rejoin); null otherwise.</param>
    /// <param name="Resent">The request went again after a silent rejoin; a second refusal is the user's.</param>
    /// <param name="CheckOf">The mirror's own self-ping of this room (see <see cref="CheckRoomsAsync"/>): the answer goes to nobody.</param>
    private sealed record Pending(Jid ExpectFrom, Jid ReplyFrom, Jid ReplyTo, string? OriginalId, XElement? Request = null, bool Resent = false,
        ProxyRoom? CheckOf = null);

    public int PendingCount => _pending.Count;

    public async ValueTask OnUserIqAsync(XElement iq, Jid user, Jid master, Jid to, CancellationToken ct)
    {
        if (iq.IsResponse())
        {
            await AnswerAsync(iq, user, ct);
            return;
        }
        RequireGetOrSet(iq);
        if (!mirror.Settings.Serves(user))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "this mirror serves users of " + string.Join(", ", mirror.Settings.Users)));

        var upstreamTo = to.Resource is null ? master : master.WithResource(to.Resource);
        var session = mirror.Find(master)?.FindByLocal(user);
        Jid relayFrom;
        if (session is { State: SessionState.Joined or SessionState.Joining, HeldJoin: null })
            relayFrom = session.ProxyJid;
        else if (to.Resource is null && iq.GetStanzaType() == StanzaType.Get && iq.GetPayload()?.Name == Ns.DiscoInfo + "query")
            relayFrom = ProxyAddress.Of(master, mirror.Domain);
        else
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable, "you are not in this room"));
        var request = relayFrom.Equals(session?.ProxyJid) ? iq : null;
        await RelayAsync(iq, relayFrom, upstreamTo, new Pending(upstreamTo, to, user, iq.GetId(), request), ct);
    }

    public async ValueTask OnMasterIqAsync(XElement iq, Jid to, Jid master, CancellationToken ct)
    {
        if (iq.IsResponse())
        {
            await AnswerAsync(iq, iq.GetFrom()!, ct);
            return;
        }
        RequireGetOrSet(iq);
        var room = mirror.Find(master);
        var session = to.Resource is null ? null : room?.FindBySid(to.Resource);
        if (room is null || session is not { State: SessionState.Joined })
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ServiceUnavailable, "no local user is in this room through this address"));
        var from = iq.GetFrom()!;
        await RelayAsync(iq, room.ToProxy(from), session.Local, new Pending(session.Local, session.ProxyJid, from, iq.GetId()), ct);
    }

    private async ValueTask RelayAsync(XElement iq, Jid from, Jid to, Pending pending, CancellationToken ct)
    {
        var id = "fmuc-" + Stanza.NewId();
        _pending[id] = pending;
        _order.Enqueue(id);
        // Requests nobody answers must not pile up.
        while (_order.Count > MaxPending) _pending.Remove(_order.Dequeue());
        await mirror.SendUpstreamAsync(MirrorService.Readdressed(iq, from, to, iq.Elements(), id), ct);
    }

    private async ValueTask AnswerAsync(XElement response, Jid from, CancellationToken ct)
    {
        var id = response.GetId();
        if (id is null || !_pending.TryGetValue(id, out var pending) || !pending.ExpectFrom.Equals(from))
        {
            // Not an answer to anything relayed (or from someone else than was asked): nothing to do with it.
            MirrorLog.Dropped(mirror.Logger, "iq", from.ToString(), (string?)response.Attribute("to"), "not the answer to a relayed request");
            return;
        }
        _pending.Remove(id);
        if (pending.CheckOf is { } checkedRoom)
        {
            await OnCheckAnswerAsync(checkedRoom, response, ct);
            return;
        }
        if (response.IsErrorType() && pending.Request is { } request && !pending.Resent && await RecoverAsync(response, pending, request, ct)) return;
        await mirror.SendUpstreamAsync(MirrorService.Readdressed(response, pending.ReplyFrom, pending.ReplyTo, response.Elements(), pending.OriginalId), ct);
    }

    /// <summary>
    /// The master refused a session's request because it no longer knows the session (a
    /// self-ping, XEP-0410, is answered not-acceptable): join again silently and ask once more.
    /// </summary>
    private async ValueTask<bool> RecoverAsync(XElement error, Pending pending, XElement request, CancellationToken ct)
    {
        var master = pending.ExpectFrom.Bare;
        var room = mirror.Find(master);
        var session = room?.FindByLocal(pending.ReplyTo);
        if (room is null || session is null) return false;
        // item-not-found from another occupant's address means that occupant is gone, not the session.
        var toRoomOrSelf = pending.ExpectFrom.Resource is null || pending.ExpectFrom.Resource == session.Nick;
        if (!Recovery.MeansNotAnOccupant(error, toRoomOrSelf)) return false;
        return await recovery.RecoverAsync(room, session, StanzaError.FromStanza(error)!.Condition.ToXmlName(),
            c => RelayAsync(request, session.ProxyJid, pending.ExpectFrom, pending with { Resent = true }, c), ct);
    }

    private static void RequireGetOrSet(XElement iq)
    {
        if (iq.GetStanzaType() is not (StanzaType.Get or StanzaType.Set))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "IQ type must be get, set, result or error"));
        if (iq.GetPayload() is null)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "an IQ get or set carries a payload element"));
    }
}
