using XmppGroupChat.Component;

namespace XmppGroupChat.Hosting;

/// <summary>
/// A program's protocol logic, composed once from its links' outbound ends (the composition root):
/// it says where each link's inbound stanzas go, runs whatever background work it has until the
/// program stops, and closes its storage last, after the links have flushed.
/// </summary>
public interface IComponentRoot : IAsyncDisposable
{
    /// <summary>Where the inbound stanzas of the link for <paramref name="domain"/> go.</summary>
    IInboundStanzas InboundFor(string domain);

    /// <summary>Background work (timers, keepalives) until <paramref name="stoppingToken"/>; then waits for work in flight.</summary>
    Task RunAsync(CancellationToken stoppingToken);
}

/// <summary>Opens a program's composition root, given the outbound end of each of its links by domain.</summary>
public delegate Task<IComponentRoot> OpenComponentRoot(IServiceProvider services, IReadOnlyDictionary<string, LinkSender> senders, CancellationToken cancellationToken);
