using System.Xml.Linq;
using XmppGroupChat.Archive;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Muc;

/// <summary>
/// Discussion history on entering (XEP-0045 §enter-history): the archive's latest messages,
/// limited by the client's maxstanzas, maxchars, seconds and since, each with a delay from the room.
/// </summary>
public sealed class DiscussionHistory(MucService muc)
{
    public const int DefaultMessages = 20;
    private const int MaxMessages = 100;

    public async ValueTask SendAsync(Room room, Jid to, XElement? request, CancellationToken ct)
    {
        var maxStanzas = Int(request, "maxstanzas") ?? DefaultMessages;
        var maxChars = Int(request, "maxchars");
        var seconds = Int(request, "seconds");
        DateTimeOffset? since = XmppDateTime.TryParse((string?)request?.Attribute("since"), out var s) ? s : null;
        if (seconds is { } secs) since = Max(since, DateTimeOffset.UtcNow.AddSeconds(-secs));
        if (maxStanzas <= 0 || maxChars == 0) return;

        var page = await muc.Archive.QueryAsync(room.Jid.ToString(),
            new ArchiveQuery(Start: since, Before: "", Max: Math.Min(maxStanzas, MaxMessages)), ct);
        var messages = new List<XElement>();
        foreach (var m in page.Messages)
        {
            if (m.Retracted) continue;
            XElement shown;
            lock (room.Sync) shown = RoomMessages.ForOccupants(muc, room, m, MucService.SeesJids(room, MucService.RealJidOf(room, to)));
            // A message written during a DMUC2 split already carries the time it was written.
            if (shown.Element(Ns.Delay + "delay") is null) shown.Add(new Delay(m.Stamp, muc.RoomJid(room).ToString()).ToElement());
            messages.Add(shown);
        }
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
        foreach (var m in messages) await muc.Broadcaster.EnqueueUnarchivedAsync(muc.Sender, m, [to], ct);
    }

    private static int? Int(XElement? e, string attribute) =>
        int.TryParse((string?)e?.Attribute(attribute), out var v) ? Math.Max(v, 0) : null;

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset b) => a is null || a < b ? b : a;
}
