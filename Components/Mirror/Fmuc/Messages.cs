using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>
/// Messages both ways. A local user's message goes upstream from their session's proxy JID
/// with its id and payload: a groupchat to the room, a private message to room/Nick. Normally
/// nothing is delivered locally until the master's copy comes back; fire-and-forget adds
/// &lt;nomirror/&gt;, delivers to the local users at once and drops the echo a plain MUC sends
/// anyway. The master's messages are delivered like its presences (proxy bare JID: every local
/// user; proxy full JID: that session), and its groupchat messages are kept as local history.
/// </summary>
public sealed class Messages(MirrorService mirror, Recovery recovery)
{
    public async ValueTask OnUserMessageAsync(XElement message, Jid user, Jid master, Jid to, CancellationToken ct)
    {
        if (!mirror.Settings.Serves(user))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "this mirror serves users of " + string.Join(", ", mirror.Settings.Users)));
        var room = mirror.Find(master);
        var session = room?.FindByLocal(user);
        if (room is null || session is not { State: SessionState.Joined })
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable, "only occupants may send messages to the room"));

        var upstreamTo = to.Resource is null ? room.Master : room.Master.WithResource(to.Resource);
        var payload = MirrorService.UserPayload(message).ToList();
        var fireAndForget = room.FireAndForget && to.Resource is null && message.GetStanzaType() == StanzaType.Groupchat &&
                            message.Element(message.Name.Namespace + "body") != null;
        // The id is how the master's refusal is matched to the message (and a plain MUC's echo recognised).
        var id = message.GetId() ?? Stanza.NewId();
        var upstream = MirrorService.Readdressed(message, session.ProxyJid, upstreamTo, payload, id);
        if (fireAndForget)
        {
            room.NoMirrorIds.Add(EchoKey(session.Nick, id));
            upstream.Add(new XElement(Ns.Fmuc + "nomirror"));
        }
        session.Sent.Add(id, upstream);
        await mirror.SendUpstreamAsync(upstream, ct);
        if (!fireAndForget) return;

        var local = MirrorService.Readdressed(message, room.Proxy.WithResource(session.Nick), session.Local, payload, id);
        room.History.Add(local, DateTimeOffset.UtcNow, HistoryKey(local));
        foreach (var s in room.Joined.ToList())
        {
            var copy = new XElement(local);
            copy.SetAttributeValue("to", s.Local.ToString());
            await mirror.DeliverAsync(copy, ct);
        }
    }

    public async ValueTask OnMasterMessageAsync(XElement message, Jid master, Jid to, CancellationToken ct)
    {
        var isError = message.IsErrorType();
        var room = mirror.Find(master);
        var session = to.Resource is null ? null : room?.FindBySid(to.Resource);
        if (room is null || (to.Resource != null && session is null))
        {
            if (isError) return;
            // Tells a master that still counts this address as an occupant (say, after a restart
            // of the mirror) that it is gone, so the link stops carrying the room (XEP-0045 §service-error-kick).
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ServiceUnavailable, "no local user is in this room through this address"));
        }
        if (session is { State: SessionState.Leaving } || (isError && session is null))
        {
            MirrorLog.Dropped(mirror.Logger, "message", (string?)message.Attribute("from"), to.ToString(),
                isError ? "an error to the proxy room, which sends nothing" : "the session is leaving");
            return;
        }

        if (isError && session != null && await RecoverAsync(room, session, message, ct)) return;

        var from = message.GetFrom()!;
        if (session is { DropSubject: true })
        {
            // The subject right after a silent rejoin's self-presence: the user has it already.
            session.DropSubject = false;
            if (IsSubjectOnly(message))
            {
                MirrorLog.Dropped(mirror.Logger, "message", from.ToString(), to.ToString(), "the subject of a silent rejoin");
                return;
            }
        }
        if (message.GetStanzaType() == StanzaType.Groupchat)
        {
            if (from.Resource != null && room.NoMirrorIds.Contains(EchoKey(from.Resource, message.GetId())))
            {
                MirrorLog.Dropped(mirror.Logger, "message", from.ToString(), to.ToString(), "the echo of a fire-and-forget message");
                return;
            }
            await NoteAnonymityChangeAsync(room, message, session is null ? room.Sessions : [session], ct);
            var ns = message.Name.Namespace;
            if (message.Element(ns + "body") != null && message.Element(ns + "subject") is null && (session is null || session == room.Recorder))
            {
                var local = new XElement(message);
                local.SetAttributeValue("from", room.ToProxy(from).ToString());
                room.History.Add(local, DateTimeOffset.UtcNow, HistoryKey(local));
            }
        }

        if (session != null)
        {
            await mirror.DeliverAsync(LocalCopy.For(message, room, session, broadcast: false), ct);
            return;
        }
        foreach (var s in room.Joined.ToList())
            await mirror.DeliverAsync(LocalCopy.For(message, room, s, broadcast: true), ct);
    }

    /// <summary>
    /// The master refused one of the session's messages because it no longer knows the session:
    /// join again silently and send the message once more. False when the error is for the user.
    /// </summary>
    private async ValueTask<bool> RecoverAsync(ProxyRoom room, ProxySession session, XElement error, CancellationToken ct)
    {
        if (session.Sent.Find(error.GetId()) is not { Resent: false } sent) return false;
        // A private message to a nick that is not in the room is item-not-found too; that is the user's to hear.
        if (!Recovery.MeansNotAnOccupant(error, toRoomOrSelf: error.GetFrom()!.IsBare)) return false;
        var message = sent.Message;
        return await recovery.RecoverAsync(room, session, StanzaError.FromStanza(error)!.Condition.ToXmlName(), async c =>
        {
            session.Sent.Add(message.GetId()!, message, resent: true);
            await mirror.SendUpstreamAsync(new XElement(message), c);
        }, ct);
    }

    /// <summary>The mirror's own history for a joiner it asked the master none for.</summary>
    public async ValueTask ReplayHistoryAsync(ProxyRoom room, ProxySession session, HistoryReplay replay, CancellationToken ct)
    {
        foreach (var message in room.History.Replay(replay.Request, room.Proxy, session.Local, DateTimeOffset.UtcNow))
            await mirror.DeliverAsync(message, ct);
    }

    // Status 172: the room now shows real JIDs to everyone; 173 and 174: it no longer does.
    private async ValueTask NoteAnonymityChangeAsync(ProxyRoom room, XElement message, IEnumerable<ProxySession> sessions, CancellationToken ct)
    {
        var codes = LocalCopy.StatusCodes(message).ToList();
        bool? nonAnonymous = codes.Contains("172") ? true : codes.Contains("173") || codes.Contains("174") ? false : null;
        if (nonAnonymous is not { } value) return;
        foreach (var s in sessions.ToList())
        {
            s.NonAnonymous = value;
            if (s.State == SessionState.Joined) await mirror.SaveAsync(room, s, null, ct);
        }
    }

    private static bool IsSubjectOnly(XElement message) =>
        message.GetStanzaType() == StanzaType.Groupchat && message.Element(message.Name.Namespace + "subject") != null &&
        message.Element(message.Name.Namespace + "body") is null;

    private static string EchoKey(string nick, string? id) => nick + "\n" + id;

    // One copy of a message in the history, however many sessions a plain MUC sent it to.
    private static string? HistoryKey(XElement local)
    {
        var stanzaId = local.Elements(Ns.StanzaId + "stanza-id").FirstOrDefault()?.Attribute("id")?.Value;
        if (stanzaId != null) return "stanza-id\n" + stanzaId;
        return local.GetId() is { } id ? $"{(string?)local.Attribute("from")}\n{id}" : null;
    }
}
