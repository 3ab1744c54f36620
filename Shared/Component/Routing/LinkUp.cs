namespace XmppGroupChat.Component.Routing;

/// <summary>
/// The link is connected and authenticated. <see cref="Reconnected"/> is false for the first connection
/// of the process: after a reconnection the server may have restarted, and the sessions it hosted with it.
/// </summary>
public sealed record LinkUp(bool Reconnected);

public delegate ValueTask LinkUpHandler(LinkUp up, CancellationToken cancellationToken);
