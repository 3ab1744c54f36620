using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>
/// Replica creation and resynchronisation (XEP-0282 §creating a replica, and the netjoin this suite
/// defines): &lt;replicate keepalive history since&gt; to the primary room, with a &lt;roster/&gt; of the
/// local sessions when the replica registers again (after a split or a restart). The primary answers
/// with the roster, the subject, the history after 'since', then the result. What to do with them
/// once all are in is <see cref="Netjoin"/>'s business.
/// </summary>
public sealed class Registration(ReplicaService replica, SplitDetector split, Membership membership, Netjoin netjoin)
{
    /// <summary>Sends a replicate for the room; the caller holds the gate.</summary>
    public void Start(ReplicatedRoom room, bool again)
    {
        var resync = new Resync(replica.Now, again);
        room.Link = PrimaryLink.Registering;
        room.Resync = resync;
        room.LastTried = replica.Now;
        var iq = Request(room, again);
        replica.Background(room, "replicate", () => AwaitAnswerAsync(room, resync, iq));
    }

    public XElement Request(ReplicatedRoom room, bool again)
    {
        var replicate = new XElement(Ns.Dmuc + "replicate",
            new XAttribute("keepalive", (int)replica.Settings.Keepalive.TotalSeconds),
            new XAttribute("history", replica.Settings.HistorySize));
        if (room.LastId != null) replicate.SetAttributeValue("since", room.LastId);
        if (again)
            replicate.Add(new XElement(Ns.Dmuc + "roster", room.Joined.Select(s => new XElement(Ns.Dmuc + "user",
                new XAttribute("jid", s.User.ToString()), new XAttribute("nick", s.Nick), new XAttribute("sid", s.Sid)))));
        return Stanza.Iq(StanzaType.Set, room.Address, room.Primary, replicate);
    }

    private async Task AwaitAnswerAsync(ReplicatedRoom room, Resync resync, XElement iq)
    {
        XElement? result = null;
        StanzaError? refused = null;
        try
        {
            result = await replica.Sender.RequestAsync(iq, replica.Settings.Keepalive);
        }
        catch (StanzaErrorException ex)
        {
            refused = ex.Error;
        }
        catch (TimeoutException)
        {
            refused = null;
        }
        using var _ = await ReplicaService.LockAsync(room);
        if (room.Resync != resync) return; // superseded (split, forgotten, or registered again meanwhile)
        if (result is null)
        {
            if (refused is null) await split.MarkSplitAsync(room, $"no answer to replicate within {replica.Settings.Keepalive.TotalSeconds:0} s", default);
            else if (SplitDetector.MeansSplit(refused, StanzaKind.Iq)) await split.MarkSplitAsync(room, $"replicate bounced: {refused.Condition.ToXmlName()}", default);
            else
            {
                if (resync.Netjoin) Log.Dropped(replica.Logger, room.Primary.ToString(), refused.Condition.ToXmlName());
                else Log.Refused(replica.Logger, room.Primary.ToString(), refused.Condition.ToXmlName(), refused.Text);
                await membership.PutEveryoneOutAsync(room, refused, default);
            }
            return;
        }
        room.LastHeard = replica.Now;
        resync.ResultReceived = true;
        resync.Last = (string?)result.Element(Ns.Dmuc + "replicated")?.Attribute("last");
        await TryCompleteAsync(room, default);
    }

    /// <summary>Finishes the registration once everything the primary pushed is in; the caller holds the gate.</summary>
    public async ValueTask TryCompleteAsync(ReplicatedRoom room, CancellationToken ct)
    {
        if (room.Resync is not { ResultReceived: true, SubjectSeen: true } resync) return;
        if (resync.Last is { } last && !room.Known.Contains(last)
            && !resync.History.Any(m => ReplicaStore.PrimaryId(m, room.Primary) == last)) return;
        room.Resync = null;
        room.Link = PrimaryLink.Live;
        await netjoin.ApplyAsync(room, resync, ct);
    }
}
