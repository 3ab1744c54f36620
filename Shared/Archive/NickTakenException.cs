namespace XmppGroupChat.Archive;

/// <summary>
/// A nick registration that would give another JID's nick (compared case-insensitively) to this one.
/// The owner is deliberately not in the message: it may end up in an error text sent to the requester.
/// </summary>
public sealed class NickTakenException(string nick)
    : InvalidOperationException($"the nick '{nick}' is registered to another JID")
{
    public string Nick { get; } = nick;
}
