using System.Xml.Linq;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Conversation;

/// <summary>
/// How a room keeps a message, face-neutral: from room/speaker-id, the sender's own id, and the
/// content in the component namespace. Who spoke (real JID, nick at the time) is kept beside it in
/// the archive, not inside it; each face adds what its protocol shows when it renders a copy.
/// </summary>
public static class StoredMessage
{
    public static XElement Build(Room room, Speech speech)
    {
        var stored = new XElement(Ns.Component + "message",
            new XAttribute("from", $"{room.Jid}/{speech.Speaker.Id}"),
            new XAttribute("type", "groupchat"));
        if (speech.OriginalId is { } id) stored.SetAttributeValue("id", id);
        var roomJid = room.Jid.ToString();
        foreach (var child in speech.Content)
        {
            var ns = child.Name.Namespace;
            // A client's own <mix/> claims nothing: the face writes the sender's.
            if (ns == Ns.MixCore || ns == Ns.MixCore0) continue;
            // Nobody may claim an archive id of this room (XEP-0359 §security).
            if (child.Name == Ns.StanzaId + "stanza-id" && Jid.TryParse((string?)child.Attribute("by"), out var by) && by.ToString() == roomJid)
                continue;
            // Body, subject and thread come in the client's stanza namespace; keep them in ours.
            stored.Add(Ns.IsStanzaNamespace(ns) ? Restamp(child, Ns.Component) : new XElement(child));
        }
        return stored;
    }

    /// <summary>Copies an element tree, moving the parts in a stanza namespace to <paramref name="target"/>.</summary>
    public static XElement Restamp(XElement e, XNamespace target)
    {
        var name = Ns.IsStanzaNamespace(e.Name.Namespace) ? target + e.Name.LocalName : e.Name;
        var copy = new XElement(name, e.Attributes().Where(a => !a.IsNamespaceDeclaration));
        foreach (var node in e.Nodes())
            copy.Add(node is XElement child ? Restamp(child, target) : node is XText t ? new XText(t.Value) : null);
        return copy;
    }
}
