using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Component;

/// <summary>RFC 6120 §4.9.3 stream error conditions the link sends or acts on.</summary>
public static class StreamErrorCondition
{
    public const string BadFormat = "bad-format";
    public const string Conflict = "conflict";
    public const string ConnectionTimeout = "connection-timeout";
    public const string HostUnknown = "host-unknown";
    public const string InternalServerError = "internal-server-error";
    public const string InvalidFrom = "invalid-from";
    public const string InvalidNamespace = "invalid-namespace";
    public const string InvalidXml = "invalid-xml";
    public const string NotAuthorized = "not-authorized";
    public const string NotWellFormed = "not-well-formed";
    public const string PolicyViolation = "policy-violation";
    public const string RestrictedXml = "restricted-xml";
    public const string SystemShutdown = "system-shutdown";
    public const string UndefinedCondition = "undefined-condition";
    public const string UnsupportedStanzaType = "unsupported-stanza-type";

    /// <summary>
    /// Conditions that, in answer to the handshake, mean our configuration is wrong: reconnecting
    /// would only repeat them. Mid-session they mean no such thing (see ComponentLink).
    /// </summary>
    public static bool IsConfigurationError(string condition) =>
        condition is NotAuthorized or HostUnknown;

    public static XElement Build(string condition, string? text = null)
    {
        var e = new XElement(Ns.Stream + "error", new XElement(Ns.StreamErrors + condition));
        if (text != null)
            e.Add(new XElement(Ns.StreamErrors + "text", new XAttribute(XNamespace.Xml + "lang", "en"), text));
        return e;
    }

    /// <summary>Reads the defined condition and text of a received &lt;stream:error/&gt;.</summary>
    public static (string Condition, string? Text) Parse(XElement error)
    {
        string condition = UndefinedCondition;
        string? text = null;
        foreach (var child in error.Elements())
        {
            if (child.Name.Namespace != Ns.StreamErrors) continue;
            if (child.Name.LocalName == "text") text = child.Value;
            else condition = child.Name.LocalName;
        }
        return (condition, text);
    }
}

/// <summary>The peer violated the stream rules; the link answers with this stream error and closes.</summary>
public sealed class StreamViolationException(string condition, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public string Condition { get; } = condition;
}

/// <summary>The server closed the stream with a stream error.</summary>
public sealed class StreamErrorReceivedException(string condition, string? text)
    : Exception($"server sent stream error <{condition}/>{(text is null ? "" : $": {text}")}")
{
    public string Condition { get; } = condition;
    public string? Text { get; } = text;
}
