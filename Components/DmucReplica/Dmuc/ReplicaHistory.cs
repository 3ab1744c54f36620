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
        var maxStanzas = Int(request, "maxstanzas") ?? DefaultMessages;
        var maxChars = Int(request, "maxchars");
        var seconds = Int(request, "seconds");
        DateTimeOffset? since = XmppDateTime.TryParse((string?)request?.Attribute("since"), out var s) ? s : null;
        if (seconds is { } secs)
        {
            var cut = replica.Now.AddSeconds(-secs);
            if (since is null || since < cut) since = cut;
        }
        var max = Math.Min(maxStanzas, replica.Settings.HistorySize);
        if (max <= 0 || maxChars == 0) return;

        var stored = await replica.Store.HistoryAsync(room, max, ct);
        var messages = stored
            .Where(m => since is null || (LocalView.OriginalStamp(m) is { } stamp && stamp >= since))
            .Select(m => LocalView.History(room, m, session.User))
            .ToList();
        if (maxChars is { } limit)
        {
            // maxchars counts the XML of the stanzas sent, newest first.
            var total = 0;
            var kept = new List<XElement>();
            for (var i = messages.Count - 1; i >= 0; i--)
            {
                total += messages[i].ToString(SaveOptions.DisableFormatting).Length;
                if (total > limit) break;
                kept.Insert(0, messages[i]);
            }
            messages = kept;
        }
        foreach (var m in messages) await replica.SendAsync(m, ct);
    }

    private static int? Int(XElement? e, string attribute) =>
        int.TryParse((string?)e?.Attribute(attribute), out var v) ? Math.Max(v, 0) : null;
}
