using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>
/// Netsplit at the replica (XEP-0282 §netsplit, at the replica): the primary did not answer a ping
/// or a replicate within the keepalive time, or a stanza to it bounced. From then on nothing is
/// submitted; entering is refused; local presence goes on; with Replica:LocalChatDuringSplit local
/// users may talk among themselves. Callers hold the room's gate.
/// </summary>
public sealed class SplitDetector(ReplicaService replica, Membership membership, SplitChat splitChat)
{
    /// <summary>
    /// Whether an error from the primary's address means the primary is out of reach rather than
    /// refusing: the servers' bounces (remote-server-not-found, remote-server-timeout), and
    /// service-unavailable for anything but a presence (a full room refuses an enter with it).
    /// </summary>
    public static bool MeansSplit(StanzaError error, StanzaKind bounced) => error.Condition switch
    {
        StanzaErrorCondition.RemoteServerNotFound or StanzaErrorCondition.RemoteServerTimeout => true,
        StanzaErrorCondition.ServiceUnavailable => bounced != StanzaKind.Presence,
        _ => false,
    };

    public async ValueTask MarkSplitAsync(ReplicatedRoom room, string reason, CancellationToken ct)
    {
        if (room.Forgotten || room.Link == PrimaryLink.Split) return;
        room.Link = PrimaryLink.Split;
        room.Resync = null;
        room.LastTried = replica.Now;
        Log.Split(replica.Logger, room.Primary.ToString(), reason, room.Sessions.Count);

        var unreachable = new StanzaError(StanzaErrorType.Wait, StanzaErrorCondition.RecipientUnavailable,
            "the room's primary is unreachable (netsplit); try again later");
        foreach (var session in room.Sessions.Values.ToList())
        {
            if (session.State == SessionState.Entering) await membership.RefuseEnteringAsync(room, session, unreachable, ct);
            else if (session.State == SessionState.Leaving) await membership.LeaveLocallyAsync(room, session, null, ct);
        }
        if (room.Forgotten) return;
        await membership.ForgetIfEmptyAsync(room, ct); // a first registration that failed leaves nobody
        if (!room.Forgotten) await splitChat.ReleaseInFlightAsync(room, ct);
    }
}
