namespace XmppGroupChat.Xmpp;

/// <summary>The three stanza kinds of RFC 6120, plus anything else a stream may carry.</summary>
public enum StanzaKind
{
    Message,
    Presence,
    Iq,
    Other,
}
