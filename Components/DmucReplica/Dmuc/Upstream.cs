using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>
/// What the replica sends the primary for a local session: always from R/&lt;sid&gt; (a component
/// cannot send with the user's address), naming the real user inside the dmuc element where the
/// primary must judge them.
/// </summary>
public static class Upstream
{
    /// <summary>The enter: the user's muc element (password kept, history dropped: the replica serves history) and payload, plus &lt;user jid/&gt;.</summary>
    public static XElement Enter(ReplicatedRoom room, LocalSession session, XElement? userMuc)
    {
        var presence = Stanza.Presence(room.Address.WithResource(session.Sid), room.Primary.WithResource(session.Nick));
        presence.SetAttributeValue("id", Stanza.NewId());
        presence.Add(session.Payload.Elements().Select(e => new XElement(e)));
        var muc = new XElement(Ns.Muc + "x");
        if (userMuc?.Element(Ns.Muc + "password") is { } password) muc.Add(new XElement(password));
        presence.Add(muc);
        presence.Add(new XElement(Ns.Dmuc + "x", new XElement(Ns.Dmuc + "user", new XAttribute("jid", session.User.ToString()))));
        return presence;
    }

    /// <summary>A status change of a joined session.</summary>
    public static XElement Status(ReplicatedRoom room, LocalSession session)
    {
        var presence = Stanza.Presence(room.Address.WithResource(session.Sid), room.Primary.WithResource(session.Nick));
        presence.Add(session.Payload.Elements().Select(e => new XElement(e)));
        return presence;
    }

    public static XElement Unavailable(ReplicatedRoom room, LocalSession session, XElement? status = null)
    {
        var presence = Stanza.Presence(room.Address.WithResource(session.Sid), room.Primary.WithResource(session.Nick), "unavailable");
        if (status != null) presence.Add(new XElement(Ns.Component + "status", status.Value));
        return presence;
    }

    /// <summary>
    /// A groupchat message: same id and payload, with its origin-id. A resubmission after a split also
    /// carries &lt;x xmlns=dmuc&gt;&lt;delay stamp='when the user sent it'/&gt;&lt;/x&gt;.
    /// </summary>
    public static XElement Message(ReplicatedRoom room, PendingMessage pending, bool resubmission)
    {
        var message = new XElement(pending.Stanza);
        message.SetAttributeValue("from", room.Address.WithResource(pending.Sid).ToString());
        message.SetAttributeValue("to", room.Primary.ToString());
        message.SetAttributeValue("type", "groupchat");
        if (resubmission) message.Add(new XElement(Ns.Dmuc + "x", new Delay(pending.Stamp).ToElement()));
        return message;
    }

    /// <summary>Anything else a session sends into the room (a private message to room/Nick, a subject change): same payload, from R/&lt;sid&gt;.</summary>
    public static XElement Relay(ReplicatedRoom room, LocalSession session, XElement fromUser, Jid to)
    {
        var copy = new XElement(fromUser);
        copy.SetAttributeValue("from", room.Address.WithResource(session.Sid).ToString());
        copy.SetAttributeValue("to", to.ToString());
        return copy;
    }
}
