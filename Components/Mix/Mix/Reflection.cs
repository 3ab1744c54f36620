using System.Xml.Linq;
using XmppGroupChat.Archive;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Mix;

/// <summary>
/// How a channel message looks: as archived (from channel/participant-id, with the sender's nick
/// and JID in &lt;mix/&gt;), and as delivered to each dialect: a groupchat message for core
/// participants, a pubsub #event item for the seed's mix:0 participants.
/// </summary>
public static class Reflection
{
    /// <summary>The stanza to archive for a message a participant sent: its content, re-addressed, without
    /// the sender's own &lt;mix/&gt; and without any stanza-id claiming to be this channel's.</summary>
    public static XElement ForArchive(Room room, MessageSender sender, IEnumerable<XElement> content, string? originalId = null)
    {
        var stored = new XElement(Ns.Component + "message",
            new XAttribute("from", $"{room.Jid}/{sender.Id}"),
            new XAttribute("type", "groupchat"));
        // The sender's own id: the MUC face reflects it back so clients match their echo; the MIX face uses the archive id.
        if (originalId != null) stored.SetAttributeValue("id", originalId);
        var roomJid = room.Jid.ToString();
        foreach (var child in content)
        {
            var ns = child.Name.Namespace;
            if (ns == Ns.MixCore || ns == Ns.MixCore0) continue;
            if (child.Name == Ns.StanzaId + "stanza-id" && Jid.TryParse((string?)child.Attribute("by"), out var by) && by.ToString() == roomJid)
                continue;
            // Body, subject and thread come in the client's stanza namespace; store them in ours.
            stored.Add(Ns.IsStanzaNamespace(ns) ? Restamp(child, Ns.Component) : new XElement(child));
        }
        var mix = new XElement(Ns.MixCore + "mix");
        if (sender.Nick != null) mix.Add(new XElement(Ns.MixCore + "nick", sender.Nick));
        mix.Add(new XElement(Ns.MixCore + "jid", sender.BareJid.ToString()));
        stored.Add(mix);
        return stored;
    }

    /// <summary>The groupchat message a core participant receives (and MAM returns): id and stanza-id are the archive id.</summary>
    public static XElement ForCore(ArchivedMessage archived, Room room, bool withJid)
    {
        var m = new XElement(archived.Stanza);
        m.SetAttributeValue("id", archived.Id);
        if (!withJid) m.Element(Ns.MixCore + "mix")?.Element(Ns.MixCore + "jid")?.Remove();
        m.Add(new XElement(Ns.StanzaId + "stanza-id", new XAttribute("id", archived.Id), new XAttribute("by", room.Jid.ToString())));
        return m;
    }

    /// <summary>The seed's form: the message published to the messages node, as a pubsub event from the channel.</summary>
    public static XElement ForMix0(ArchivedMessage archived, Room room, bool withJid)
    {
        var from = (string?)archived.Stanza.Attribute("from") ?? "";
        var publisher = from[(from.IndexOf('/') + 1)..];
        var item = new XElement(Ns.PubSubEvent + "item", new XAttribute("id", archived.Id), new XAttribute("publisher", publisher));
        foreach (var child in archived.Stanza.Elements())
        {
            if (child.Name.Namespace == Ns.MixCore)
            {
                // The seed carries nick and JID on a mix:0 participant-style element.
                var nick = child.Element(Ns.MixCore + "nick")?.Value;
                var jid = child.Element(Ns.MixCore + "jid")?.Value;
                var e = new XElement(Ns.Mix0 + "mix");
                if (nick != null) e.Add(new XAttribute("nick", nick));
                if (withJid && jid != null) e.Add(new XAttribute("jid", jid));
                item.Add(e);
                continue;
            }
            item.Add(Ns.IsStanzaNamespace(child.Name.Namespace) ? Restamp(child, Ns.Client) : new XElement(child));
        }
        return new XElement(Ns.Component + "message",
            new XAttribute("from", room.Jid.ToString()),
            new XAttribute("id", archived.Id),
            new XElement(Ns.PubSubEvent + "event",
                new XElement(Ns.PubSubEvent + "items", new XAttribute("node", MixNodes.Messages), item)));
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

/// <summary>
/// Who sent a channel message, whatever the face: a MIX participant (its stable id) or a MUC
/// occupant (its occupant id), with the nick and real bare JID.
/// </summary>
public sealed record MessageSender(string Id, string? Nick, Jid BareJid)
{
    public static MessageSender Of(Participant p) => new(p.Id, p.Nick, p.BareJid);
}
