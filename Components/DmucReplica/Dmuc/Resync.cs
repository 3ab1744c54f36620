using System.Xml.Linq;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>
/// A registration in progress: what the primary has pushed so far. The primary sends the roster, then
/// the subject (always), then the history, then the IQ result naming the newest id it sent. The result
/// overtakes the pushes on the way in (IQ responses skip the dispatch queue), so the registration is
/// complete when the result is in, the subject was seen, and the message named 'last' was seen or is known.
/// </summary>
public sealed class Resync(DateTimeOffset started, bool netjoin)
{
    public DateTimeOffset Started { get; } = started;

    /// <summary>A re-registration after a split or a restart (not the room's first).</summary>
    public bool Netjoin { get; } = netjoin;

    public OrderedDictionary<string, RosterEntry> Roster { get; } = new(StringComparer.Ordinal);
    public XElement? Subject { get; set; }
    public bool SubjectSeen { get; set; }
    public List<XElement> History { get; } = [];

    public bool ResultReceived { get; set; }

    /// <summary>The result's 'last': the newest message id the primary sent (null when it sent none).</summary>
    public string? Last { get; set; }
}
