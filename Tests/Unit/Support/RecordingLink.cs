using System.Collections.Concurrent;
using System.Xml.Linq;
using XmppGroupChat.Component;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Support;

/// <summary>
/// A link without a socket, for unit tests: what the program sends lands in a shared outbox, read back
/// as the server would see it, with the real link's guard on the sender's domain; IQ requests the
/// program makes wait in <see cref="Requests"/> until the test answers them.
/// </summary>
internal sealed class RecordingLink(Jid domain, ConcurrentQueue<XElement> outbox, ConcurrentQueue<(XElement Iq, TaskCompletionSource<XElement> Answer)> requests) : IStanzaSender
{
    private readonly ConcurrentBag<TaskCompletionSource<XElement>> _all = [];

    public Jid Domain => domain;

    public ValueTask SendAsync(XElement stanza, CancellationToken cancellationToken = default)
    {
        // Read back through the serialiser, as the link would write it.
        outbox.Enqueue(LinkView.Parse(StanzaSerializer.ToXmlString(LinkView.RequireInDomain(stanza, domain.Domain), Ns.Component)));
        return ValueTask.CompletedTask;
    }

    public ValueTask SendSerializedAsync(ReadOnlyMemory<byte> utf8Stanza, CancellationToken cancellationToken = default)
    {
        outbox.Enqueue(LinkView.RequireInDomain(LinkView.Parse(utf8Stanza), domain.Domain));
        return ValueTask.CompletedTask;
    }

    public Task<XElement> RequestAsync(XElement iq, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        LinkView.RequireInDomain(iq, domain.Domain);
        if (iq.GetId() is null) iq.SetAttributeValue("id", Stanza.NewId());
        var answer = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _all.Add(answer);
        requests.Enqueue((new XElement(iq), answer));
        return answer.Task;
    }

    /// <summary>Every request nobody answered ends as a timeout, so no background work is left waiting.</summary>
    public void TimeOutAll()
    {
        foreach (var r in _all) r.TrySetException(new TimeoutException("the test link stopped"));
    }
}
