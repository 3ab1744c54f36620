using System.Xml.Linq;
using XmppGroupChat.Archive;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Channels;

/// <summary>
/// How a room message looks on the MIX face: a groupchat message from channel/participant-id with the
/// sender's nick (and JID where shown) in &lt;mix/&gt;, for core participants and MAM; a pubsub #event
/// item for the seed's mix:0 participants. Built from the face-neutral stored message and the sender
/// the archive keeps beside it.
/// </summary>
public static class Reflection
{
    /// <summary>The groupchat message a core participant receives (and MAM returns): id and stanza-id are the archive id.</summary>
    public static XElement ForCore(ArchivedMessage archived, Room room, bool withJid)
    {
        var m = new XElement(archived.Stanza);
        // Archives written before the conversation was face-neutral kept the sender inside the message.
        m.Elements(Ns.MixCore + "mix").Remove();
        m.SetAttributeValue("id", archived.Id);
        var mix = new XElement(Ns.MixCore + "mix");
        if (archived.SenderNick != null) mix.Add(new XElement(Ns.MixCore + "nick", archived.SenderNick));
        if (withJid) mix.Add(new XElement(Ns.MixCore + "jid", archived.SenderBareJid));
        m.Add(mix);
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
            if (child.Name.Namespace == Ns.MixCore) continue; // an older archive's copy of the sender
            item.Add(Ns.IsStanzaNamespace(child.Name.Namespace) ? StoredMessage.Restamp(child, Ns.Client) : new XElement(child));
        }
        // The seed carries nick and JID on a mix:0 participant-style element.
        var mix = new XElement(Ns.Mix0 + "mix");
        if (archived.SenderNick != null) mix.Add(new XAttribute("nick", archived.SenderNick));
        if (withJid) mix.Add(new XAttribute("jid", archived.SenderBareJid));
        item.Add(mix);
        return new XElement(Ns.Component + "message",
            new XAttribute("from", room.Jid.ToString()),
            new XAttribute("id", archived.Id),
            new XElement(Ns.PubSubEvent + "event",
                new XElement(Ns.PubSubEvent + "items", new XAttribute("node", MixNodes.Messages), item)));
    }
}
