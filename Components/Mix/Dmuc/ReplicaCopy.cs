using System.Xml.Linq;
using XmppGroupChat.Archive;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Dmuc;

/// <summary>
/// What makes a replica's copy of a room message (XEP-0282 §message broadcast): the
/// &lt;x xmlns='urn:xmpp:tmp:dmuc:0'&gt;&lt;delay from='room/Nick' stamp/&gt;&lt;/x&gt; the replica keeps for
/// history. The time is when the message was sent: the archive's stamp, or for a message written
/// during a split and resubmitted at the netjoin, the original time its own delay carries.
/// </summary>
public static class ReplicaCopy
{
    public static XElement DmucElement(ArchivedMessage archived, XElement template) =>
        new(Ns.Dmuc + "x", new Delay(SentAt(archived), (string?)template.Attribute("from")).ToElement());

    public static DateTimeOffset SentAt(ArchivedMessage archived) =>
        archived.Stanza.Element(Ns.Delay + "delay") is { } d && XmppDateTime.TryParse((string?)d.Attribute("stamp"), out var stamp) ? stamp : archived.Stamp;
}
