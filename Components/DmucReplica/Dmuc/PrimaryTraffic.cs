using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>
/// Everything that comes from a primary room (room@primary or room@primary/Nick) to R or R/&lt;sid&gt;:
/// to R it is a broadcast (<see cref="Distribution"/>); to R/&lt;sid&gt; it concerns one local session
/// (&lt;enter/&gt;, &lt;leave/&gt;, a join or message error, a private message). A bounce that means the
/// primary is out of reach marks the split; anything else counts as hearing from the primary. A
/// primary still sending to a room the replica let go of gets item-not-found, which tells it to
/// drop this replica from the room.
/// </summary>
public sealed class PrimaryTraffic(
    ReplicaService replica, Keepalive keepalive, SplitDetector split, Membership membership, Distribution distribution,
    Entering entering, Leaving leaving, Submission submission)
{
    public async ValueTask OnPresenceAsync(XElement presence, CancellationToken ct)
    {
        var room = await RequireRoomAsync(presence, ct);
        if (room is null) return;
        using var _ = await ReplicaService.LockAsync(room, ct);
        if (room.Forgotten) { await Gone(presence, ct); return; }
        var sid = presence.GetTo()!.Resource;
        var session = sid is null ? null : room.FindBySid(sid);
        if (presence.IsErrorType())
        {
            var error = StanzaError.FromStanza(presence)!;
            if (SplitDetector.MeansSplit(error, StanzaKind.Presence))
                await split.MarkSplitAsync(room, $"a presence bounced: {error.Condition.ToXmlName()}", ct);
            else if (session is { State: SessionState.Entering })
                await entering.OnRefusedAsync(room, session, presence, ct);
            else if (session != null)
                // Refused when the primary re-admitted it at a netjoin (banned meanwhile, nick taken): it is out.
                await membership.PutOutAsync(room, session, error, ct);
            return;
        }
        keepalive.HeardFrom(room);
        if (sid is null)
        {
            await distribution.OnPresenceAsync(room, presence, ct);
            return;
        }
        var dmuc = presence.Element(Ns.Dmuc + "x");
        if (dmuc?.Element(Ns.Dmuc + "enter") != null) await entering.OnEnteredAsync(room, session, presence, ct);
        else if (session == null) return;
        else if (dmuc?.Element(Ns.Dmuc + "leave") != null || presence.GetStanzaType() == "unavailable") await leaving.OnLeftAsync(room, session, presence, ct);
        else await distribution.ToSessionAsync(room, session, presence, ct);
    }

    public async ValueTask OnMessageAsync(XElement message, CancellationToken ct)
    {
        var room = await RequireRoomAsync(message, ct);
        if (room is null) return;
        using var _ = await ReplicaService.LockAsync(room, ct);
        if (room.Forgotten) { await Gone(message, ct); return; }
        var sid = message.GetTo()!.Resource;
        var session = sid is null ? null : room.FindBySid(sid);
        if (message.IsErrorType())
        {
            var error = StanzaError.FromStanza(message)!;
            if (SplitDetector.MeansSplit(error, StanzaKind.Message))
                await split.MarkSplitAsync(room, $"a message bounced: {error.Condition.ToXmlName()}", ct);
            else if (session != null)
                await submission.OnRefusedAsync(room, session, message, ct);
            return;
        }
        keepalive.HeardFrom(room);
        if (sid is null) await distribution.OnMessageAsync(room, message, ct);
        else if (session != null) await distribution.ToSessionAsync(room, session, message, ct);
        else throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, "no such session at this replica"));
    }

    /// <summary>A ping from the primary to R: answered while the replica holds the room (<see cref="Keepalive.PingedBy"/>).</summary>
    public async ValueTask<bool> OnPingAsync(XElement iq, CancellationToken ct)
    {
        if (replica.FindRoom(iq.GetTo()!) is not { } room) return false;
        using var _ = await ReplicaService.LockAsync(room, ct);
        if (room.Forgotten) return false;
        keepalive.PingedBy(room);
        return true;
    }

    private async ValueTask<ReplicatedRoom?> RequireRoomAsync(XElement stanza, CancellationToken ct)
    {
        if (replica.FindRoom(stanza.GetTo()!) is { } room) return room;
        await Gone(stanza, ct);
        return null;
    }

    private static ValueTask Gone(XElement stanza, CancellationToken ct)
    {
        if (stanza.IsErrorType()) return ValueTask.CompletedTask;
        throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, "this replica no longer holds the room"));
    }
}
