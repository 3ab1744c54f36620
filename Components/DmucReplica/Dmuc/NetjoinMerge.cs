using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>What a netjoin does with the messages on both sides of the split.</summary>
/// <param name="Record">The primary's messages to add to the replica's history, in the primary's order.</param>
/// <param name="Deliver">The primary's messages local users have not seen, in order (each shown with its original time).</param>
/// <param name="Confirmed">Local messages the primary already has (it got them before the split was noticed): forget them, submit nothing.</param>
/// <param name="Submit">Local messages the primary lacks, oldest first: resubmitted with their origin-id and original time.</param>
public sealed record NetjoinPlan(
    IReadOnlyList<XElement> Record,
    IReadOnlyList<XElement> Deliver,
    IReadOnlyList<PendingMessage> Confirmed,
    IReadOnlyList<PendingMessage> Submit);

/// <summary>
/// The merge of a split's two histories, as a pure function: the replica's pending messages (written
/// locally during the split, or in flight when it began) against what the primary sent after the
/// newest id the replica held. Nothing is lost (every pending message is confirmed or submitted),
/// nothing is doubled (a message the replica holds, or sends twice, is recorded and delivered once; a
/// pending message the primary has is not submitted again, and not shown again to local users who
/// saw it), order is kept on both sides, and each message keeps the time it was first sent.
/// </summary>
public static class NetjoinMerge
{
    public static NetjoinPlan Plan(IReadOnlyList<PendingMessage> pending, IReadOnlyList<XElement> missed, Jid primary, Func<string, bool> held)
    {
        var record = new List<XElement>();
        var deliver = new List<XElement>();
        var confirmed = new List<PendingMessage>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in missed)
        {
            var id = ReplicaStore.PrimaryId(message, primary);
            if (id != null && (held(id) || !seen.Add(id))) continue;
            record.Add(message);
            var mine = MatchPending(pending, confirmed, message);
            if (mine != null) confirmed.Add(mine);
            if (mine is not { DeliveredLocally: true }) deliver.Add(message);
        }
        var submit = pending.Where(p => !confirmed.Contains(p)).ToList();
        return new NetjoinPlan(record, deliver, confirmed, submit);
    }

    /// <summary>The pending message the primary's copy stands for: same origin-id, from the same nick.</summary>
    public static PendingMessage? MatchPending(IEnumerable<PendingMessage> pending, IReadOnlyCollection<PendingMessage> taken, XElement fromPrimary)
    {
        if (PendingMessage.OriginIdOf(fromPrimary) is not { } originId) return null;
        var nick = Jid.TryParse((string?)fromPrimary.Attribute("from"), out var from) ? from.Resource : null;
        return pending.FirstOrDefault(p => p.OriginId == originId && p.Nick == nick && !taken.Contains(p));
    }
}
