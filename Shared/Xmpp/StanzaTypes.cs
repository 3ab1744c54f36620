using System.Xml.Linq;

namespace XmppGroupChat.Xmpp;

/// <summary>The 'type' of an IQ (RFC 6120 §8.2.3); <see cref="Invalid"/> for anything else, which is answered with bad-request.</summary>
public enum IqType { Get, Set, Result, Error, Invalid }

/// <summary>The 'type' of a message (RFC 6121 §5.2.2); absent or unknown is <see cref="Normal"/>, as the RFC says.</summary>
public enum MessageType { Normal, Chat, Groupchat, Headline, Error }

/// <summary>The 'type' of a presence (RFC 6121 §4.7.1); absent is <see cref="Available"/>; an unknown type is <see cref="Invalid"/> and ignored.</summary>
public enum PresenceType { Available, Unavailable, Error, Probe, Subscribe, Subscribed, Unsubscribe, Unsubscribed, Invalid }

/// <summary>Reads a stanza's type as the enum of its kind, so handlers never compare type strings.</summary>
public static class StanzaTypes
{
    public static IqType GetIqType(this XElement iq) => iq.GetStanzaType() switch
    {
        StanzaType.Get => IqType.Get,
        StanzaType.Set => IqType.Set,
        StanzaType.Result => IqType.Result,
        StanzaType.Error => IqType.Error,
        _ => IqType.Invalid,
    };

    public static MessageType GetMessageType(this XElement message) => message.GetStanzaType() switch
    {
        StanzaType.Chat => MessageType.Chat,
        StanzaType.Groupchat => MessageType.Groupchat,
        StanzaType.Headline => MessageType.Headline,
        StanzaType.Error => MessageType.Error,
        _ => MessageType.Normal,
    };

    public static PresenceType GetPresenceType(this XElement presence) => presence.GetStanzaType() switch
    {
        null => PresenceType.Available,
        StanzaType.Unavailable => PresenceType.Unavailable,
        StanzaType.Error => PresenceType.Error,
        StanzaType.Probe => PresenceType.Probe,
        StanzaType.Subscribe => PresenceType.Subscribe,
        StanzaType.Subscribed => PresenceType.Subscribed,
        StanzaType.Unsubscribe => PresenceType.Unsubscribe,
        StanzaType.Unsubscribed => PresenceType.Unsubscribed,
        _ => PresenceType.Invalid,
    };

    /// <summary>The attribute value for a message type (null for normal, which is the default).</summary>
    public static string? ToXml(this MessageType type) => type switch
    {
        MessageType.Chat => StanzaType.Chat,
        MessageType.Groupchat => StanzaType.Groupchat,
        MessageType.Headline => StanzaType.Headline,
        MessageType.Error => StanzaType.Error,
        _ => null,
    };
}
