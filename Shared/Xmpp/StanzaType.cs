namespace XmppGroupChat.Xmpp;

/// <summary>Values of the stanza 'type' attribute (RFC 6120 §8.2.3, RFC 6121 §4.7.1 and §5.2.2).</summary>
public static class StanzaType
{
    public const string Get = "get";
    public const string Set = "set";
    public const string Result = "result";
    public const string Error = "error";

    public const string Chat = "chat";
    public const string Groupchat = "groupchat";
    public const string Headline = "headline";
    public const string Normal = "normal";

    public const string Unavailable = "unavailable";
    public const string Subscribe = "subscribe";
    public const string Subscribed = "subscribed";
    public const string Unsubscribe = "unsubscribe";
    public const string Unsubscribed = "unsubscribed";
    public const string Probe = "probe";
}
