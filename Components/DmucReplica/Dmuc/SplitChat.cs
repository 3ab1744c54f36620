using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>
/// Talking while the primary is out of reach (Replica:LocalChatDuringSplit, default false; the seed
/// warns to be careful): a local user's message is delivered at once to the local users only, from
/// R/Nick, and kept with its time and origin-id to be submitted at the netjoin. Without the setting a
/// message during a split is refused with recipient-unavailable, and one written while the replica is
/// registering again waits for it (it is not lost). Callers hold the room's gate.
/// </summary>
public sealed class SplitChat(ReplicaService replica)
{
    public async ValueTask AcceptAsync(ReplicatedRoom room, PendingMessage pending, CancellationToken ct)
    {
        if (replica.Settings.LocalChatDuringSplit)
        {
            pending = pending with { DeliveredLocally = true };
            room.Pending.Add(pending);
            await replica.Store.SavePendingAsync(room, pending, ct);
            await DeliverAsync(room, pending, ct);
            return;
        }
        if (room.Link == PrimaryLink.Registering)
        {
            room.Pending.Add(pending);
            await replica.Store.SavePendingAsync(room, pending, ct);
            return;
        }
        throw new StanzaErrorException(new StanzaError(StanzaErrorType.Wait, StanzaErrorCondition.RecipientUnavailable,
            "the room's primary is unreachable (netsplit); your message was not sent"));
    }

    /// <summary>Submissions the primary never echoed before the split: with local chat on, local users see them now.</summary>
    public async ValueTask ReleaseInFlightAsync(ReplicatedRoom room, CancellationToken ct)
    {
        if (!replica.Settings.LocalChatDuringSplit) return;
        for (var i = 0; i < room.Pending.Count; i++)
        {
            if (room.Pending[i].DeliveredLocally) continue;
            room.Pending[i] = room.Pending[i] with { DeliveredLocally = true };
            await replica.Store.SavePendingAsync(room, room.Pending[i], ct);
            await DeliverAsync(room, room.Pending[i], ct);
        }
    }

    /// <summary>Chat states and other bodiless groupchat during a split: local users only, not kept.</summary>
    public async ValueTask DeliverTransientAsync(ReplicatedRoom room, LocalSession from, XElement message, CancellationToken ct)
    {
        if (!replica.Settings.LocalChatDuringSplit) return;
        await replica.ToJoinedAsync(room, s =>
        {
            var copy = new XElement(message);
            copy.SetAttributeValue("from", room.Address.WithResource(from.Nick).ToString());
            copy.SetAttributeValue("to", s.User.ToString());
            return copy;
        }, ct);
    }

    private ValueTask DeliverAsync(ReplicatedRoom room, PendingMessage pending, CancellationToken ct) =>
        replica.ToJoinedAsync(room, s =>
        {
            var copy = new XElement(pending.Stanza);
            copy.SetAttributeValue("from", room.Address.WithResource(pending.Nick).ToString());
            copy.SetAttributeValue("to", s.User.ToString());
            copy.SetAttributeValue("type", "groupchat");
            return copy;
        }, ct);
}
