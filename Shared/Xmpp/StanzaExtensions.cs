using System.Diagnostics.CodeAnalysis;
using System.Xml.Linq;

namespace XmppGroupChat.Xmpp;

/// <summary>
/// Reading and answering stanzas. Every method accepts stanzas in either the component or the client
/// namespace, because stanzas embedded in payloads (forwards, archives, pubsub items) use jabber:client.
/// </summary>
public static class StanzaExtensions
{
    public static StanzaKind GetKind(this XElement stanza)
    {
        var name = stanza.Name;
        if (!Ns.IsStanzaNamespace(name.Namespace))
            return StanzaKind.Other;
        return name.LocalName switch
        {
            "message" => StanzaKind.Message,
            "presence" => StanzaKind.Presence,
            "iq" => StanzaKind.Iq,
            _ => StanzaKind.Other,
        };
    }

    public static string? GetId(this XElement stanza) => stanza.Attribute(XmlNames.Id)?.Value;

    /// <summary>The 'type' attribute, or null when absent (a normal message or available presence).</summary>
    public static string? GetStanzaType(this XElement stanza) => stanza.Attribute(XmlNames.Type)?.Value;

    /// <summary>The sender, or null when there is no 'from'.</summary>
    /// <exception cref="JidFormatException">The 'from' attribute is present but not a valid JID.</exception>
    public static Jid? GetFrom(this XElement stanza) => ReadJid(stanza, XmlNames.From);

    /// <summary>The addressee, or null when there is no 'to'.</summary>
    /// <exception cref="JidFormatException">The 'to' attribute is present but not a valid JID.</exception>
    public static Jid? GetTo(this XElement stanza) => ReadJid(stanza, XmlNames.To);

    /// <summary>True with the sender when 'from' is present and valid; false when it is absent or malformed.</summary>
    public static bool TryGetFrom(this XElement stanza, [NotNullWhen(true)] out Jid? jid) =>
        Jid.TryParse(stanza.Attribute(XmlNames.From)?.Value, out jid);

    /// <summary>True with the addressee when 'to' is present and valid; false when it is absent or malformed.</summary>
    public static bool TryGetTo(this XElement stanza, [NotNullWhen(true)] out Jid? jid) =>
        Jid.TryParse(stanza.Attribute(XmlNames.To)?.Value, out jid);

    /// <summary>An IQ get or set, which must be answered.</summary>
    public static bool IsRequest(this XElement stanza) =>
        stanza.GetKind() == StanzaKind.Iq && stanza.GetStanzaType() is StanzaType.Get or StanzaType.Set;

    /// <summary>An IQ result or error, which must never be answered.</summary>
    public static bool IsResponse(this XElement stanza) =>
        stanza.GetKind() == StanzaKind.Iq && stanza.GetStanzaType() is StanzaType.Result or StanzaType.Error;

    public static bool IsErrorType(this XElement stanza) => stanza.GetStanzaType() == StanzaType.Error;

    /// <summary>The child element of an IQ that says what it is about (skipping the &lt;error/&gt; of an error response); null for other stanzas.</summary>
    public static XElement? GetPayload(this XElement stanza)
    {
        if (stanza.GetKind() != StanzaKind.Iq)
            return null;
        foreach (var child in stanza.Elements())
        {
            if (!IsErrorChild(child))
                return child;
        }
        return null;
    }

    /// <summary>
    /// The error response to a stanza (RFC 6120 §8.3.1): addresses swapped, same id, type 'error'. An IQ keeps a copy of
    /// its payload; a message or presence keeps its extension elements but no body. The reply uses the
    /// namespace of the original stanza, since it goes back over the same kind of stream. An IQ get
    /// or set without an id gets an error without one (RFC 6120 §8.3.1: the id of the stanza that
    /// caused it): there is none to echo, which is exactly what such an error (bad-request) says.
    /// </summary>
    /// <exception cref="InvalidOperationException">The stanza is an error or an IQ result, which must never be answered, or not a stanza at all.</exception>
    public static XElement ErrorReply(this XElement stanza, StanzaError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var kind = stanza.GetKind();
        if (kind == StanzaKind.Other)
            throw new InvalidOperationException($"Cannot answer <{stanza.Name.LocalName}/>: it is not a stanza.");
        if (stanza.IsErrorType())
            throw new InvalidOperationException("Refusing to answer an error stanza with an error (RFC 6120 §8.3.1), which could loop.");
        if (kind == StanzaKind.Iq && stanza.GetStanzaType() == StanzaType.Result)
            throw new InvalidOperationException("Refusing to answer an IQ result (RFC 6120 §8.2.3).");

        var reply = CreateReply(stanza, StanzaType.Error);
        foreach (var child in stanza.Elements())
        {
            if (IsErrorChild(child) || (kind != StanzaKind.Iq && IsBody(child)))
                continue;
            reply.Add(new XElement(child));
        }
        reply.Add(error.ToElement(stanza.Name.Namespace));
        return reply;
    }

    /// <summary>The result response to an IQ get or set: addresses swapped, same id, with an optional payload.</summary>
    /// <exception cref="InvalidOperationException">The stanza is not an IQ get or set, or has no id to answer.</exception>
    public static XElement ResultReply(this XElement stanza, XElement? payload = null)
    {
        if (!stanza.IsRequest())
            throw new InvalidOperationException("Only an IQ get or set can be answered with a result.");
        if (stanza.GetId() is null)
            throw new InvalidOperationException("The IQ has no id, so a result could not be matched to it.");
        var reply = CreateReply(stanza, StanzaType.Result);
        if (payload is not null)
            reply.Add(payload);
        return reply;
    }

    private static XElement CreateReply(XElement stanza, string type)
    {
        var reply = new XElement(stanza.Name);
        var from = stanza.Attribute(XmlNames.To)?.Value;
        var to = stanza.Attribute(XmlNames.From)?.Value;
        var id = stanza.GetId();
        if (from is not null)
            reply.Add(new XAttribute(XmlNames.From, from));
        if (to is not null)
            reply.Add(new XAttribute(XmlNames.To, to));
        if (id is not null)
            reply.Add(new XAttribute(XmlNames.Id, id));
        reply.Add(new XAttribute(XmlNames.Type, type));
        return reply;
    }

    private static Jid? ReadJid(XElement stanza, XName attribute)
    {
        var value = stanza.Attribute(attribute)?.Value;
        return value is null ? null : Jid.Parse(value);
    }

    private static bool IsErrorChild(XElement child) =>
        child.Name.LocalName == "error" && Ns.IsStanzaNamespace(child.Name.Namespace);

    private static bool IsBody(XElement child) =>
        child.Name.LocalName == "body" && Ns.IsStanzaNamespace(child.Name.Namespace);
}
