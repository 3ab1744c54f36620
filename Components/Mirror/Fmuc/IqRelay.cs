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
public sealed class IqRelay(MirrorService mirror)
{
    private const int MaxPending = 1024;

    // Answers on their way back, by the id the mirror gave the request; the oldest are forgotten first.
    private readonly Dictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>Where the answer to a relayed request goes: from whom it must come, and as what it is passed on.</summary>
    private sealed record Pending(Jid ExpectFrom, Jid ReplyFrom, Jid ReplyTo, string? OriginalId);

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
        if (session is { State: SessionState.Joined or SessionState.Joining })
            relayFrom = session.ProxyJid;
        else if (to.Resource is null && iq.GetStanzaType() == StanzaType.Get && iq.GetPayload()?.Name == Ns.DiscoInfo + "query")
            relayFrom = ProxyAddress.Of(master, mirror.Domain);
        else
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable, "you are not in this room"));
        await RelayAsync(iq, relayFrom, upstreamTo, new Pending(upstreamTo, to, user, iq.GetId()), ct);
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
        await mirror.SendUpstreamAsync(MirrorService.Readdressed(response, pending.ReplyFrom, pending.ReplyTo, response.Elements(), pending.OriginalId), ct);
    }

    private static void RequireGetOrSet(XElement iq)
    {
        if (iq.GetStanzaType() is not (StanzaType.Get or StanzaType.Set))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "IQ type must be get, set, result or error"));
        if (iq.GetPayload() is null)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "an IQ get or set carries a payload element"));
    }
}
