using System.Xml.Linq;
using XmppGroupChat.Component.Routing;

namespace XmppGroupChat.Component;

/// <summary>What a link hands inbound traffic to, in arrival order: the stanzas, and each connection's start.</summary>
public interface IInboundStanzas
{
    /// <summary>Takes one stanza; returns once it is handed over (its handling may still be running).</summary>
    ValueTask DispatchAsync(XElement stanza, CancellationToken cancellationToken);

    /// <summary>Called after each handshake, in order with the stanzas around it.</summary>
    ValueTask LinkUpAsync(LinkUp up, CancellationToken cancellationToken);
}
