using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>
/// A master that restarted (a room host keeping occupants in memory, a temporary room) no longer
/// knows the sessions behind the mirror, while their users still sit in the proxy room. When it
/// answers a joined session's stanza with "you are not an occupant", the mirror joins again for
/// the session as after its own restart (<see cref="Joining.RejoinSilentlyAsync"/>: no history,
/// no entry burst shown) and, once the master confirms, sends the refused stanza once more. A
/// stanza refused after that resend reaches the user as an error, as any refusal does.
/// </summary>
public sealed class Recovery(MirrorService mirror, Joining joining)
{
    /// <summary>
    /// Whether an error from the master says the session is not in the room: not-acceptable
    /// (XEP-0045 and XEP-0410's answer to a non-occupant), or item-not-found where the
    /// addressee is the room or the session's own nick (a room that was not kept over the restart).
    /// </summary>
    public static bool MeansNotAnOccupant(XElement error, bool toRoomOrSelf) =>
        StanzaError.FromStanza(error)?.Condition is StanzaErrorCondition.NotAcceptable ||
        (toRoomOrSelf && StanzaError.FromStanza(error)?.Condition is StanzaErrorCondition.ItemNotFound);

    /// <summary>
    /// Joins again for <paramref name="session"/>, unless a silent rejoin is under way already,
    /// and keeps <paramref name="resend"/> (the refused stanza, once) for when the master confirms.
    /// Returns false when the session is in no state to recover (the caller relays the error).
    /// </summary>
    public async ValueTask<bool> RecoverAsync(ProxyRoom room, ProxySession session, string condition,
        Func<CancellationToken, ValueTask>? resend, CancellationToken ct)
    {
        var rejoining = session is { State: SessionState.Joining, SilentRejoin: true, HeldJoin: null };
        if (session.State != SessionState.Joined && !rejoining) return false;
        if (resend != null) session.Resend.Add(resend);
        if (rejoining) return true;
        MirrorLog.MasterForgot(mirror.Logger, room.Master.ToString(), session.Local.ToString(), condition);
        await joining.RejoinSilentlyAsync(room, session, ct);
        return true;
    }

    /// <summary>Joins again, silently, for every joined session of <paramref name="room"/> (the master lost them all).</summary>
    public async ValueTask RecoverRoomAsync(ProxyRoom room, string condition, CancellationToken ct)
    {
        foreach (var session in room.Joined.OrderBy(s => s.JoinOrder).ToList())
            await RecoverAsync(room, session, condition, null, ct);
    }

    /// <summary>The master confirmed a silent rejoin: what it refused goes again, oldest first.</summary>
    public async ValueTask ResendAsync(ProxySession session, CancellationToken ct)
    {
        var pending = session.Resend.ToList();
        session.Resend.Clear();
        foreach (var send in pending) await send(ct);
    }

    /// <summary>A silent rejoin was refused: what waited for it is dropped (the user gets the join error).</summary>
    public static void Abandon(ProxySession session) => session.Resend.Clear();
}
