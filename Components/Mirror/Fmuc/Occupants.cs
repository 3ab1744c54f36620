using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>
/// Presence from the master room. To a session's proxy JID it concerns that session alone (the
/// others' presences while entering, its self-presence, its join error, its exit, and a plain
/// MUC's every broadcast); to the proxy bare JID it is an FMUC master's one copy for all local
/// users, except those whose own nick it is (they get their own copy, with 110).
/// </summary>
public sealed class Occupants(MirrorService mirror, Messages messages, Joining joining, Recovery recovery)
{
    public async ValueTask OnMasterPresenceAsync(XElement presence, Jid master, Jid to, CancellationToken ct)
    {
        var room = mirror.Find(master);
        if (room is null)
        {
            MirrorLog.Dropped(mirror.Logger, "presence", (string?)presence.Attribute("from"), to.ToString(), "the room has no local users");
            return;
        }
        if (to.IsBare)
        {
            await BroadcastAsync(room, presence, ct);
            return;
        }
        var session = room.FindBySid(to.Resource);
        if (session is null)
        {
            MirrorLog.Dropped(mirror.Logger, "presence", (string?)presence.Attribute("from"), to.ToString(), "no such local session");
            return;
        }

        if (presence.IsErrorType() && session.Reasserting)
        {
            // The master forgot the session while the mirror was down: enter again, unseen by the user.
            session.Reasserting = false;
            var lost = StanzaError.FromStanza(presence)?.Condition ?? StanzaErrorCondition.UndefinedCondition;
            MirrorLog.Rejoined(mirror.Logger, master.ToString(), session.Local.ToString(), lost.ToXmlName());
            await joining.RejoinSilentlyAsync(room, session, ct);
            return;
        }
        if (presence.IsErrorType() && session.State == SessionState.Joined && Recovery.MeansNotAnOccupant(presence, toRoomOrSelf: true) &&
            await recovery.RecoverAsync(room, session, StanzaError.FromStanza(presence)!.Condition.ToXmlName(), null, ct))
            return; // the master restarted and forgot the session; the rejoin carries the status it refused
        if (presence.IsErrorType())
        {
            Recovery.Abandon(session);
            // A refused join, or the master no longer knows this session: either way it is not in the room.
            var error = StanzaError.FromStanza(presence)!;
            if (session.State == SessionState.Joining)
                MirrorLog.JoinRefused(mirror.Logger, master.ToString(), session.Local.ToString(), error.Condition.ToXmlName(), error.Text);
            await mirror.DeliverAsync(LocalCopy.For(presence, room, session, broadcast: false), ct);
            await mirror.ForgetAsync(room, session, ct);
            return;
        }

        var codes = LocalCopy.StatusCodes(presence).ToList();
        var item = presence.Elements(Ns.MucUser + "x").Elements(Ns.MucUser + "item").FirstOrDefault();
        var isSelf = codes.Contains("110") || presence.GetFrom()!.Resource == session.Nick;
        if (session is { SilentRejoin: true, State: SessionState.Joining } && presence.GetStanzaType() is null)
        {
            // The entry burst of a silent rejoin: the user never left and has seen it all before.
            if (!isSelf)
            {
                MirrorLog.Dropped(mirror.Logger, "presence", (string?)presence.Attribute("from"), to.ToString(), "the entry burst of a silent rejoin");
                return;
            }
            session.SilentRejoin = false;
            session.DropSubject = true;
            session.State = SessionState.Joined;
            session.Role = (string?)item?.Attribute("role") ?? session.Role;
            session.NonAnonymous = codes.Contains("100");
            await mirror.SaveAsync(room, session, joining.Services.SpeaksFmuc(master.Domain, evenIfOld: true), ct);
            await recovery.ResendAsync(session, ct);
            return;
        }
        if (session.State == SessionState.Leaving && !(presence.GetStanzaType() == StanzaType.Unavailable && codes.Contains("110")))
        {
            MirrorLog.Dropped(mirror.Logger, "presence", (string?)presence.Attribute("from"), to.ToString(), "the session is leaving");
            return;
        }
        await mirror.DeliverAsync(LocalCopy.For(presence, room, session, broadcast: false), ct);

        if (presence.GetStanzaType() == StanzaType.Unavailable)
        {
            if (!codes.Contains("110")) return; // someone else left
            if (codes.Contains("303") && (string?)item?.Attribute("nick") is { Length: > 0 } newNick)
            {
                session.Nick = newNick; // renamed by the master; the session stays
                if (session.State == SessionState.Joined) await mirror.SaveAsync(room, session, null, ct);
            }
            else if (session.State != SessionState.Joining)
                await mirror.ForgetAsync(room, session, ct); // left, kicked, banned or the room is gone
            // Joining: this confirms an earlier leave; the new join is still under way.
            return;
        }
        // Self-presence: 110, or from the session's own nick for a MUC that omits the code.
        if (presence.GetStanzaType() is not null || !isSelf) return;

        // The master still had a restored session: its status went round the room, nothing more to do.
        session.Reasserting = false;
        var role = (string?)item?.Attribute("role") ?? session.Role;
        if (session.State != SessionState.Joining)
        {
            if (role == session.Role) return;
            session.Role = role;
            await mirror.SaveAsync(room, session, null, ct);
            return;
        }
        session.Role = role;
        session.State = SessionState.Joined;
        session.NonAnonymous = codes.Contains("100");
        await mirror.SaveAsync(room, session, joining.Services.SpeaksFmuc(master.Domain, evenIfOld: true), ct);
        if (session.PendingReplay is { } replay)
        {
            // After the self-presence and before the subject, which the master sends next.
            session.PendingReplay = null;
            await messages.ReplayHistoryAsync(room, session, replay, ct);
        }
    }

    private async ValueTask BroadcastAsync(ProxyRoom room, XElement presence, CancellationToken ct)
    {
        if (presence.IsErrorType())
        {
            MirrorLog.Dropped(mirror.Logger, "presence", (string?)presence.Attribute("from"), room.Proxy.ToString(), "an error to the proxy room, which sends nothing");
            return;
        }
        var nick = presence.GetFrom()!.Resource;
        foreach (var session in room.Joined.Where(s => s.Nick != nick).ToList())
            await mirror.DeliverAsync(LocalCopy.For(presence, room, session, broadcast: true), ct);
    }
}
