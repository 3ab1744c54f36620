namespace XmppGroupChat.Xmpp;

/// <summary>A string that is not a valid JID (RFC 7622); the message says which part is wrong and why.</summary>
public sealed class JidFormatException : FormatException
{
    public JidFormatException(string message) : base(message)
    {
    }

    public JidFormatException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
