using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Xml.Linq;

namespace XmppGroupChat.Xmpp;

/// <summary>Factories for stanzas in the component namespace (jabber:component:accept).</summary>
public static class Stanza
{
    private static long _counter;

    public static XElement Iq(string type, Jid? from, Jid? to, XElement? payload, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type is not (StanzaType.Get or StanzaType.Set or StanzaType.Result or StanzaType.Error))
            throw new ArgumentException($"'{type}' is not an IQ type (get, set, result or error).", nameof(type));
        var iq = Create("iq", from, to, type, id ?? NewId());
        if (payload is not null)
            iq.Add(payload);
        return iq;
    }

    public static XElement Message(Jid? from, Jid? to, string? type = null, string? body = null, string? id = null)
    {
        var message = Create("message", from, to, type, id);
        if (body is not null)
            message.Add(new XElement(Ns.Component + "body", body));
        return message;
    }

    public static XElement Presence(Jid? from, Jid? to, string? type = null) => Create("presence", from, to, type, null);

    /// <summary>
    /// A 12-character URL-safe id: 32 random bits (so ids cannot be predicted by other entities) followed by a
    /// 40-bit process-wide counter (so they never repeat within a process).
    /// </summary>
    public static string NewId()
    {
        Span<byte> bytes = stackalloc byte[9];
        RandomNumberGenerator.Fill(bytes[..4]);
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, Interlocked.Increment(ref _counter));
        counter[3..].CopyTo(bytes[4..]);
        return Base64Url.EncodeToString(bytes);
    }

    private static XElement Create(string localName, Jid? from, Jid? to, string? type, string? id)
    {
        var stanza = new XElement(Ns.Component + localName);
        if (from is not null)
            stanza.Add(new XAttribute(XmlNames.From, from.ToString()));
        if (to is not null)
            stanza.Add(new XAttribute(XmlNames.To, to.ToString()));
        if (id is not null)
            stanza.Add(new XAttribute(XmlNames.Id, id));
        if (type is not null)
            stanza.Add(new XAttribute(XmlNames.Type, type));
        return stanza;
    }
}
