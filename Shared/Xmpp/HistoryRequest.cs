using System.Xml.Linq;

namespace XmppGroupChat.Xmpp;

/// <summary>
/// What an entering MUC client asked for in &lt;history/&gt; (XEP-0045 §enter-managehistory):
/// at most <see cref="MaxStanzas"/> messages, at most <see cref="MaxChars"/> characters of XML,
/// none older than <see cref="Since"/> (which folds in 'seconds'). The room host, the mirror and
/// the replica all answer it, each from its own store.
/// </summary>
public sealed record HistoryRequest(int MaxStanzas, int? MaxChars, DateTimeOffset? Since)
{
    /// <summary>Reads the request; a missing element or attribute takes the service's default.</summary>
    public static HistoryRequest Parse(XElement? history, int defaultStanzas, DateTimeOffset now)
    {
        var maxStanzas = Int(history, "maxstanzas") ?? defaultStanzas;
        var maxChars = Int(history, "maxchars");
        DateTimeOffset? since = XmppDateTime.TryParse((string?)history?.Attribute("since"), out var s) ? s : null;
        if (Int(history, "seconds") is { } seconds && (since is null || since < now.AddSeconds(-seconds))) since = now.AddSeconds(-seconds);
        return new HistoryRequest(maxStanzas, maxChars, since);
    }

    /// <summary>True when the client wants no history at all (maxstanzas or maxchars of 0).</summary>
    public bool WantsNone => MaxStanzas <= 0 || MaxChars == 0;

    /// <summary>Whether a message sent at <paramref name="stamp"/> is recent enough.</summary>
    public bool Wants(DateTimeOffset stamp) => Since is null || stamp >= Since;

    /// <summary>
    /// The newest of <paramref name="oldestFirst"/> that fit in maxchars, oldest first. maxchars
    /// counts the XML of the stanzas as sent, newest first, so the latest messages are kept.
    /// </summary>
    public List<XElement> WithinMaxChars(IReadOnlyList<XElement> oldestFirst)
    {
        if (MaxChars is not { } limit) return [.. oldestFirst];
        var total = 0;
        var start = oldestFirst.Count;
        while (start > 0)
        {
            total += oldestFirst[start - 1].ToString(SaveOptions.DisableFormatting).Length;
            if (total > limit) break;
            start--;
        }
        return oldestFirst.Skip(start).ToList();
    }

    private static int? Int(XElement? e, string attribute) =>
        int.TryParse((string?)e?.Attribute(attribute), out var v) ? Math.Max(v, 0) : null;
}
