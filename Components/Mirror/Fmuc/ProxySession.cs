using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>Where a local session stands with the master room.</summary>
public enum SessionState
{
    /// <summary>The join went upstream (or is held, see <see cref="ProxySession.HeldJoin"/>); the master's self-presence has not come back yet.</summary>
    Joining,

    /// <summary>In the room: receives the room's traffic.</summary>
    Joined,

    /// <summary>Its unavailable went upstream; waiting for the master's self-unavailable.</summary>
    Leaving,
}

/// <summary>
/// One local client in one proxy room: its real full JID, its nick, and the proxy full JID that
/// stands for it at the master (room\40muc.alpha.test@mirror.beta.test/&lt;sid&gt;).
/// </summary>
public sealed class ProxySession(Jid local, string nick, Jid proxyJid, long joinOrder)
{
    public Jid Local { get; } = local;
    public string Nick { get; set; } = nick;
    public Jid ProxyJid { get; } = proxyJid;
    public string Sid => ProxyJid.Resource!;

    /// <summary>Orders sessions by when they joined: the oldest one records a plain MUC's history.</summary>
    public long JoinOrder { get; set; } = joinOrder;

    public SessionState State { get; set; } = SessionState.Joining;

    /// <summary>The role in the user's last self-presence (none until it arrives).</summary>
    public string Role { get; set; } = "none";

    /// <summary>The room shows real JIDs to everyone (status 100 on entering, 172 later; 173/174 undo it).</summary>
    public bool NonAnonymous { get; set; }

    /// <summary>
    /// The user's join, kept here (and not yet sent) while the mirror asks the master's service
    /// whether it speaks FMUC; the master knows nothing of the session meanwhile.
    /// </summary>
    public XElement? HeldJoin { get; set; }

    /// <summary>The user's &lt;history/&gt; request, kept while the mirror, not the master, owes the history.</summary>
    public HistoryReplay? PendingReplay { get; set; }

    /// <summary>
    /// The user's latest available presence to the room as it went upstream, without the muc
    /// element: what a restarted mirror sends again to re-assert the session.
    /// </summary>
    public XElement? Presence { get; set; }

    /// <summary>Restored at start-up; its status went upstream again and the master has not confirmed it yet.</summary>
    public bool Reasserting { get; set; }

    /// <summary>
    /// Joining again after the master forgot the session across the mirror's restart: the user
    /// never left, so the others' presences and the self-presence of the new entry are not shown.
    /// </summary>
    public bool SilentRejoin { get; set; }

    /// <summary>The subject that follows a silent rejoin's self-presence is not shown either.</summary>
    public bool DropSubject { get; set; }

    /// <summary>
    /// The session's recent messages as they went upstream, by id, so one the master refused can
    /// go again after a silent rejoin; an id already resent once is not resent again.
    /// </summary>
    public SentMessages Sent { get; } = new(64);

    /// <summary>Stanzas the master refused because it had forgotten the session, to send again once the silent rejoin is confirmed.</summary>
    public List<Func<CancellationToken, ValueTask>> Resend { get; } = new();

    /// <summary>Whether a jid attribute in a broadcast copy may stay for this user (XEP-0045 §enter-nonanon, §enter-semianon).</summary>
    public bool SeesJids => NonAnonymous || Role == "moderator";
}

/// <summary>History the mirror owes a joiner: what they asked for (null: no &lt;history/&gt; element).</summary>
public sealed record HistoryReplay(XElement? Request);
