using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>
/// Discussion history for an entering local user, from the replica's own store (XEP-0045
/// §enter-history): the newest messages, limited by the user's maxstanzas, maxchars, seconds and
/// since, judged on the time the primary gave each message, each with a delay from R.
/// </summary>
public sealed class ReplicaHistory(ReplicaService replica)
{
    public const int DefaultMessages = 20;

    public async ValueTask SendAsync(ReplicatedRoom room, LocalSession session, XElement? request, CancellationToken ct)
    {
        var wanted = HistoryRequest.Parse(request, DefaultMessages, replica.Now);
        var max = Math.Min(wanted.MaxStanzas, replica.Settings.HistorySize);
        if (max <= 0 || wanted.WantsNone) return;

        var stored = await replica.Store.HistoryAsync(room, max, ct);
        var messages = stored
            .Where(m => wanted.Since is null || (LocalView.OriginalStamp(m) is { } stamp && wanted.Wants(stamp)))
            .Select(m => LocalView.History(room, m, session.User))
            .ToList();
        foreach (var m in wanted.WithinMaxChars(messages)) await replica.SendAsync(m, ct);
    }
}
