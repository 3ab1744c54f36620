using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>Where a local session stands in the room.</summary>
public enum SessionState
{
    /// <summary>Its enter is on its way to the primary (or queued until the replica is registered).</summary>
    Entering,

    /// <summary>The primary admitted it: it gets every broadcast.</summary>
    Joined,

    /// <summary>It sent unavailable; the primary's &lt;leave/&gt; has not come back yet.</summary>
    Leaving,
}

/// <summary>
/// A local user's session in a replicated room: its full JID, nick, the sid the primary knows it by
/// (R/&lt;sid&gt;), and what the primary said when it admitted it (the self-presence template).
/// </summary>
public sealed class LocalSession(Jid user, string nick, string sid)
{
    public Jid User { get; } = user;
    public string Nick { get; } = nick;
    public string Sid { get; } = sid;
    public SessionState State { get; set; } = SessionState.Entering;

    /// <summary>The presence payload the user last sent (show, status, caps), as the room should show it.</summary>
    public XElement Payload { get; set; } = new(Ns.Component + "presence");

    /// <summary>The user's &lt;x xmlns=muc&gt; (its password goes to the primary), kept until the enter is sent.</summary>
    public XElement? UserMuc { get; set; }

    /// <summary>The user's &lt;history/&gt; request, kept from entering until the history is sent.</summary>
    public XElement? HistoryRequest { get; set; }

    /// <summary>The primary's &lt;enter/&gt; presence without the dmuc element: the user's self-presence.</summary>
    public XElement? Self { get; set; }

    /// <summary>
    /// The user entered again while its leave was on its way: the enter has followed the leave to the
    /// primary, so the primary's &lt;leave/&gt; ends the old stay and its &lt;enter/&gt; starts the new one.
    /// </summary>
    public bool EnteringAgain { get; set; }

    /// <summary>The user changed presence during a split: tell the primary after the netjoin.</summary>
    public bool ChangedDuringSplit { get; set; }

    public string? Role => (string?)Self?.Element(Ns.MucUser + "x")?.Element(Ns.MucUser + "item")?.Attribute("role");

    public XElement ToRecord() => new(Ns.Dmuc + "session",
        new XAttribute("jid", User.ToString()), new XAttribute("nick", Nick), new XAttribute("sid", Sid),
        new XElement(Ns.Dmuc + "payload", new XElement(Payload)),
        Self is null ? null : new XElement(Ns.Dmuc + "self", new XElement(Self)));

    public static LocalSession FromRecord(XElement record)
    {
        var session = new LocalSession(Jid.Parse((string)record.Attribute("jid")!), (string)record.Attribute("nick")!, (string)record.Attribute("sid")!)
        {
            State = SessionState.Joined,
        };
        if (record.Element(Ns.Dmuc + "payload")?.Elements().FirstOrDefault() is { } payload) session.Payload = payload;
        session.Self = record.Element(Ns.Dmuc + "self")?.Elements().FirstOrDefault();
        return session;
    }
}
