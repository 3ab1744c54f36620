using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>
/// The room's latest messages as the mirror received them (seed 002 §6 of the wire contract), so a
/// late local joiner gets history from here and the link does not carry it again. A bounded ring
/// in memory: it lives only while the room has local users, and is dropped with the room.
/// </summary>
public sealed class LocalHistory(int capacity)
{
    /// <summary>Messages sent when the join has no &lt;history/&gt; element (as the room host's MUC face does).</summary>
    public const int DefaultMessages = 20;

    private readonly LinkedList<Entry> _entries = new();

    private sealed record Entry(XElement Message, DateTimeOffset Stamp, string? Key);

    public int Count => _entries.Count;

    /// <summary>
    /// Keeps a message in its local form (from the proxy room, no 'to'). Its original time is
    /// the stamp of a &lt;delay/&gt; it came with (history from the master), else <paramref name="received"/>.
    /// A message whose <paramref name="key"/> is already kept is not kept twice.
    /// </summary>
    public void Add(XElement message, DateTimeOffset received, string? key)
    {
        if (capacity == 0) return;
        if (key is not null && _entries.Any(e => e.Key == key)) return;
        var kept = new XElement(message);
        kept.SetAttributeValue("to", null);
        var stamp = received;
        foreach (var delay in kept.Elements(Ns.Delay + "delay").ToList())
        {
            if (XmppDateTime.TryParse((string?)delay.Attribute("stamp"), out var s)) stamp = s;
            delay.Remove();
        }
        _entries.AddLast(new Entry(kept, stamp, key));
        if (_entries.Count > capacity) _entries.RemoveFirst();
    }

    /// <summary>
    /// What a joiner asked for (XEP-0045 §enter-managehistory: maxstanzas, maxchars, seconds,
    /// since), oldest first, each addressed to <paramref name="to"/> with a delay from the proxy room.
    /// </summary>
    public List<XElement> Replay(XElement? request, Jid proxyRoom, Jid to, DateTimeOffset now)
    {
        var wanted = HistoryRequest.Parse(request, DefaultMessages, now);
        if (wanted.WantsNone) return [];

        // Newest first, so the limits keep the latest messages.
        var chosen = new List<XElement>();
        for (var node = _entries.Last; node != null && chosen.Count < wanted.MaxStanzas; node = node.Previous)
        {
            var entry = node.Value;
            if (!wanted.Wants(entry.Stamp)) break;
            var message = new XElement(entry.Message);
            message.SetAttributeValue("to", to.ToString());
            message.Add(new Delay(entry.Stamp, proxyRoom.ToString()).ToElement());
            chosen.Add(message);
        }
        chosen.Reverse();
        return wanted.WithinMaxChars(chosen);
    }
}
