using System.Xml.Linq;

namespace XmppGroupChat.Xmpp;

/// <summary>A stanza error (RFC 6120 §8.3): the &lt;error/&gt; child of a stanza of type 'error'.</summary>
/// <param name="Text">Human-readable description, sent as &lt;text xml:lang='en'/&gt;.</param>
/// <param name="By">The entity that generated the error, when not the stanza's sender.</param>
public sealed record StanzaError(StanzaErrorType Type, StanzaErrorCondition Condition, string? Text = null, string? By = null)
{
    /// <summary>Character data of the condition element: the alternate address of &lt;gone/&gt; and &lt;redirect/&gt;.</summary>
    public string? ConditionText { get; init; }

    /// <summary>An application-specific condition element (any namespace other than the stanzas one).</summary>
    public XElement? ApplicationCondition { get; init; }

    /// <summary>An error with the customary type for its condition (e.g. bad-request is 'modify', forbidden is 'auth').</summary>
    public static StanzaError Of(StanzaErrorCondition condition, string? text = null) =>
        new(condition.DefaultType(), condition, text);

    /// <summary>The &lt;error/&gt; element in the component stanza namespace.</summary>
    public XElement ToElement() => ToElement(Ns.Component);

    /// <summary>The &lt;error/&gt; element in the namespace of the stanza it will be added to.</summary>
    public XElement ToElement(XNamespace stanzaNamespace)
    {
        ArgumentNullException.ThrowIfNull(stanzaNamespace);
        var error = new XElement(stanzaNamespace + "error", new XAttribute(XmlNames.Type, Type.ToXmlName()));
        if (By is not null)
            error.SetAttributeValue(XmlNames.By, By);
        var condition = new XElement(Ns.Stanzas + Condition.ToXmlName());
        if (ConditionText is not null)
            condition.Value = ConditionText;
        error.Add(condition);
        if (Text is not null)
            error.Add(new XElement(Ns.Stanzas + "text", new XAttribute(XmlNames.Lang, "en"), Text));
        if (ApplicationCondition is not null)
            error.Add(new XElement(ApplicationCondition));
        return error;
    }

    /// <summary>
    /// Reads an &lt;error/&gt; element leniently: an unknown or missing condition becomes undefined-condition and a
    /// missing or unknown type becomes the customary one. Returns null when the element is not an error element.
    /// </summary>
    public static StanzaError? Parse(XElement errorElement)
    {
        ArgumentNullException.ThrowIfNull(errorElement);
        if (errorElement.Name.LocalName != "error")
            return null;

        StanzaErrorCondition? condition = null;
        string? conditionText = null, text = null;
        XElement? application = null;
        foreach (var child in errorElement.Elements())
        {
            if (child.Name.Namespace != Ns.Stanzas)
            {
                application ??= child;
            }
            else if (child.Name.LocalName == "text")
            {
                text ??= child.Value;
            }
            else if (condition is null || condition == StanzaErrorCondition.UndefinedCondition)
            {
                // A recognised condition wins over an unrecognised one listed before it.
                if (StanzaErrorNames.TryParseCondition(child.Name.LocalName, out var parsed) || condition is null)
                {
                    condition = parsed;
                    conditionText = child.Value.Length == 0 ? null : child.Value;
                }
            }
        }

        var finalCondition = condition ?? StanzaErrorCondition.UndefinedCondition;
        if (!StanzaErrorNames.TryParseType(errorElement.Attribute(XmlNames.Type)?.Value, out var type))
            type = finalCondition.DefaultType();
        return new StanzaError(type, finalCondition, text, errorElement.Attribute(XmlNames.By)?.Value)
        {
            ConditionText = conditionText,
            ApplicationCondition = application,
        };
    }

    /// <summary>The error carried by a stanza of type 'error', or null when the stanza is not an error.</summary>
    public static StanzaError? FromStanza(XElement stanza)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        if (!stanza.IsErrorType())
            return null;
        foreach (var child in stanza.Elements())
        {
            if (child.Name.LocalName == "error" && Ns.IsStanzaNamespace(child.Name.Namespace))
                return Parse(child);
        }
        // An error stanza without <error/> is malformed; still report that it failed.
        return Of(StanzaErrorCondition.UndefinedCondition);
    }
}
