using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Component;

/// <summary>
/// "Send this stanza": the one outbound seam protocol logic is written against, so handlers are
/// tested with stanzas in and stanzas out and no socket.
/// </summary>
public interface IStanzaSender
{
    /// <summary>The component domain stanzas are sent from.</summary>
    Jid Domain { get; }

    /// <summary>Queues a stanza; waits while the queue is full (backpressure), never drops.</summary>
    ValueTask SendAsync(XElement stanza, CancellationToken cancellationToken = default);

    /// <summary>
    /// Queues a stanza already serialised for a component stream (one serialisation shared by many
    /// recipients). The caller guarantees its 'from' is in <see cref="Domain"/>.
    /// </summary>
    ValueTask SendSerializedAsync(ReadOnlyMemory<byte> utf8Stanza, CancellationToken cancellationToken = default);

    /// <summary>Sends an IQ get/set and returns the result; an error response throws <see cref="StanzaErrorException"/>.</summary>
    Task<XElement> RequestAsync(XElement iq, TimeSpan? timeout = null, CancellationToken cancellationToken = default);
}
