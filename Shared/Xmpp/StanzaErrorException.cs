namespace XmppGroupChat.Xmpp;

/// <summary>
/// Thrown by stanza handlers to answer the stanza being handled with an error, and by IQ callers when the
/// response was an error.
/// </summary>
public sealed class StanzaErrorException : Exception
{
    public StanzaErrorException(StanzaError error) : base(Describe(error))
    {
        Error = error;
    }

    public StanzaErrorException(StanzaError error, Exception innerException) : base(Describe(error), innerException)
    {
        Error = error;
    }

    public StanzaErrorException(StanzaErrorCondition condition, string? text = null) : this(StanzaError.Of(condition, text))
    {
    }

    public StanzaError Error { get; }

    private static string Describe(StanzaError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var name = $"{error.Condition.ToXmlName()} ({error.Type.ToXmlName()})";
        return error.Text is null ? $"Stanza error {name}" : $"Stanza error {name}: {error.Text}";
    }
}
