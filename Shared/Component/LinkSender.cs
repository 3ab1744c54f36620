using System.Threading.Channels;
using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Component;

/// <summary>
/// The outbound end of one link: what protocol logic sends through. A bounded queue the link's one
/// writer drains (producers wait when it is full; nothing is dropped), and the IQ requests waiting
/// for their answers. It exists before the connection does and outlives each one, so the program's
/// logic is built once with its senders and whatever is queued during a reconnect goes out after it.
/// </summary>
public sealed class LinkSender : IStanzaSender
{
    private readonly ComponentOptions _options;

    public LinkSender(ComponentOptions options)
    {
        options.Validate();
        _options = options;
        Domain = Jid.Parse(options.Domain);
        Queue = Channel.CreateBounded<Outbound>(new BoundedChannelOptions(options.SendQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public Jid Domain { get; }

    internal Channel<Outbound> Queue { get; }
    internal IqTracker Iqs { get; } = new();

    public ValueTask SendAsync(XElement stanza, CancellationToken cancellationToken = default)
    {
        CheckFrom(stanza);
        return Queue.Writer.WriteAsync(new Outbound(stanza, default), cancellationToken);
    }

    /// <summary>Queues bytes already serialised for this stream (one serialisation, many recipients).</summary>
    public ValueTask SendSerializedAsync(ReadOnlyMemory<byte> utf8Stanza, CancellationToken cancellationToken = default) =>
        Queue.Writer.WriteAsync(new Outbound(null, utf8Stanza), cancellationToken);

    public async Task<XElement> RequestAsync(XElement iq, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (!iq.IsRequest()) throw new ArgumentException("only an IQ get or set can be awaited", nameof(iq));
        var id = iq.GetId();
        if (id is null) iq.SetAttributeValue("id", id = Stanza.NewId());
        var response = Iqs.Register(id, (string?)iq.Attribute("to"), timeout ?? _options.IqTimeout, cancellationToken);
        try
        {
            await SendAsync(iq, cancellationToken);
        }
        catch (Exception ex)
        {
            Iqs.Cancel(id, ex);
            throw;
        }
        var result = await response;
        if (result.IsErrorType())
            throw new StanzaErrorException(StanzaError.FromStanza(result) ?? StanzaError.Of(StanzaErrorCondition.UndefinedCondition));
        return result;
    }

    // Prosody closes the whole stream (invalid-from) on one stanza from outside our domain, which
    // would take every room down with it: refuse such a stanza here instead.
    private void CheckFrom(XElement stanza)
    {
        var from = (string?)stanza.Attribute("from");
        if (from is null || !ComponentLink.IsInDomain(from, _options.Domain))
            throw new ArgumentException($"a stanza sent by {_options.Domain} must have a 'from' in that domain (got '{from}')");
    }

    internal readonly record struct Outbound(XElement? Stanza, ReadOnlyMemory<byte> Serialized);
}
