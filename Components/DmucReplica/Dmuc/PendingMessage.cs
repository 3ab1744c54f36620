using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>
/// A local user's groupchat message the primary has not yet sent back: submitted and in flight,
/// or written locally during a split. Kept (durably) until the primary's copy comes back, so it is
/// resubmitted after a netjoin or a restart; the primary accepts it once whatever happens.
/// </summary>
/// <param name="OriginId">XEP-0359 origin-id: the client's, or one the replica added.</param>
/// <param name="Stanza">The message as submitted: body and payload, with the origin-id, without addresses.</param>
/// <param name="Stamp">When the user sent it: its timestamp in the room's history, whenever it reaches the primary.</param>
/// <param name="DeliveredLocally">Local users have already seen it (split chat): the primary's copy is not delivered again.</param>
public sealed record PendingMessage(string OriginId, string Nick, string Sid, Jid User, XElement Stanza, DateTimeOffset Stamp, bool DeliveredLocally)
{
    public XElement ToRecord() => new(Ns.Dmuc + "pending",
        new XAttribute("origin-id", OriginId), new XAttribute("nick", Nick), new XAttribute("sid", Sid),
        new XAttribute("jid", User.ToString()), new XAttribute("stamp", XmppDateTime.Format(Stamp)),
        new XAttribute("delivered", DeliveredLocally ? "true" : "false"), new XElement(Stanza));

    public static PendingMessage FromRecord(XElement record) => new(
        (string)record.Attribute("origin-id")!, (string)record.Attribute("nick")!, (string)record.Attribute("sid")!,
        Jid.Parse((string)record.Attribute("jid")!), record.Elements().First(),
        XmppDateTime.Parse((string)record.Attribute("stamp")!), (string?)record.Attribute("delivered") == "true");

    /// <summary>The origin-id of a message, or null.</summary>
    public static string? OriginIdOf(XElement message) => (string?)message.Element(Ns.StanzaId + "origin-id")?.Attribute("id");
}
