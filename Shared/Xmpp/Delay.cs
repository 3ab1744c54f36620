using System.Xml.Linq;

namespace XmppGroupChat.Xmpp;

/// <summary>XEP-0203 delayed delivery: when a stanza was originally sent, and by whom it was held.</summary>
public sealed record Delay(DateTimeOffset Stamp, string? From = null, string? Text = null)
{
    public XElement ToElement()
    {
        var delay = new XElement(Ns.Delay + "delay");
        if (From is not null)
            delay.Add(new XAttribute(XmlNames.From, From));
        delay.Add(new XAttribute(XmlNames.Stamp, XmppDateTime.Format(Stamp)));
        if (Text is not null)
            delay.Add(Text);
        return delay;
    }

    /// <summary>Reads a &lt;delay/&gt; element; its text is trimmed, and empty text reads as null.</summary>
    /// <exception cref="FormatException">The element is not a delay, or its stamp is missing or malformed.</exception>
    public static Delay Parse(XElement delay)
    {
        ArgumentNullException.ThrowIfNull(delay);
        if (delay.Name != Ns.Delay + "delay")
            throw new FormatException($"Expected <delay xmlns='{Ns.Delay}'/>, found <{delay.Name.LocalName}/> in '{delay.Name.NamespaceName}'.");
        var stamp = delay.Attribute(XmlNames.Stamp)?.Value
            ?? throw new FormatException("The <delay/> element has no 'stamp' attribute.");
        var text = delay.Value.Trim();
        return new Delay(XmppDateTime.Parse(stamp), delay.Attribute(XmlNames.From)?.Value, text.Length == 0 ? null : text);
    }

    /// <summary>
    /// The first &lt;delay/&gt; directly inside <paramref name="stanza"/>, or null. Also works on a wrapper
    /// element that carries one, such as the DMUC &lt;x/&gt; a primary adds to relayed messages.
    /// </summary>
    /// <exception cref="FormatException">The delay is present but its stamp is missing or malformed.</exception>
    public static Delay? FromStanza(XElement stanza)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        var delay = stanza.Element(Ns.Delay + "delay");
        return delay is null ? null : Parse(delay);
    }
}
