using System.Xml.Linq;
using XmppGroupChat.Archive;
using XmppGroupChat.Mix.Conversation;
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
        var wanted = HistoryRequest.Parse(request, DefaultMessages, DateTimeOffset.UtcNow);
        if (wanted.WantsNone) return;

        var page = await muc.Conversation.Archive.QueryAsync(room.Jid.ToString(),
            new ArchiveQuery(Start: wanted.Since, Before: "", Max: Math.Min(wanted.MaxStanzas, MaxMessages)), ct);
        var seesJids = MucService.SeesJids(room, MucService.RealJidOf(room, to));
        var messages = new List<XElement>();
        foreach (var m in page.Messages)
        {
            if (m.Retracted) continue;
            var shown = MucFace.ForOccupants(muc, room, m, seesJids);
            // A message written during a DMUC2 split already carries the time it was written.
            if (shown.Element(Ns.Delay + "delay") is null) shown.Add(new Delay(m.Stamp, muc.RoomJid(room).ToString()).ToElement());
            messages.Add(shown);
        }
        var deliveries = new Deliveries();
        foreach (var m in wanted.WithinMaxChars(messages)) deliveries.Add(muc.Sender, m, to);
        await deliveries.SendAsync(ct);
    }
}
