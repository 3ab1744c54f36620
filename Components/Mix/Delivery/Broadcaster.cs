using System.Buffers;
using System.Threading.Channels;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Archive;
using XmppGroupChat.Component;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Delivery;

/// <summary>
/// Archive first, then fan out, in arrival order. Handlers start the archive append and queue the
/// broadcast here without waiting for the commit, so many messages share one commit (group
/// commit); one loop awaits each append in order and only then delivers it. A message whose
/// append fails is never delivered; its sender gets an error instead.
/// </summary>
public sealed class Broadcaster
{
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(4096)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly ILogger _logger;

    public Broadcaster(ILogger<Broadcaster> logger) => _logger = logger;

    /// <summary>
    /// What to deliver once the message is durable: the templates built from the archived copy
    /// (one per face and dialect), each with its recipients and the link of the face it goes out on.
    /// </summary>
    public delegate IEnumerable<DeliveryGroup> Deliveries(ArchivedMessage archived);

    private sealed record Pending(ValueTask<ArchivedMessage> Append, IStanzaSender Sender, Deliveries Deliveries,
        XElement Original, TaskCompletionSource<ArchivedMessage>? Done);

    /// <summary>Queues a broadcast behind the ones already queued; returns when it is queued, not delivered.</summary>
    public ValueTask EnqueueAsync(ValueTask<ArchivedMessage> append, IStanzaSender sender, Deliveries deliveries,
        XElement original, CancellationToken ct) =>
        _queue.Writer.WriteAsync(new Pending(append, sender, deliveries, original, null), ct);

    /// <summary>Queues a broadcast and waits until it is archived (for IQ-based publishes that return the id).</summary>
    public async Task<ArchivedMessage> EnqueueAndWaitAsync(ValueTask<ArchivedMessage> append, IStanzaSender sender,
        Deliveries deliveries, XElement original, CancellationToken ct)
    {
        var done = new TaskCompletionSource<ArchivedMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync(new Pending(append, sender, deliveries, original, done), ct);
        return await done.Task.WaitAsync(ct);
    }

    /// <summary>Delivers immediately, in order with the archived traffic (notifications, bodiless messages).</summary>
    public ValueTask EnqueueUnarchivedAsync(IStanzaSender sender, XElement template, IEnumerable<Jid> recipients, CancellationToken ct)
    {
        var archived = new ArchivedMessage(template.GetId() ?? Stanza.NewId(), DateTimeOffset.UtcNow, "", null, template);
        return _queue.Writer.WriteAsync(new Pending(ValueTask.FromResult(archived), sender,
            _ => [new DeliveryGroup(template, recipients)], template, null), ct);
    }

    public async Task RunAsync(CancellationToken stop)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        try
        {
            await foreach (var p in _queue.Reader.ReadAllAsync(stop))
            {
                ArchivedMessage archived;
                try
                {
                    archived = await p.Append;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.ArchivingFailed(_logger, ex, (string?)p.Original.Attribute("from"));
                    p.Done?.TrySetException(ex);
                    await BounceAsync(p, ct: stop);
                    continue;
                }
                p.Done?.TrySetResult(archived);
                try
                {
                    foreach (var delivery in p.Deliveries(archived))
                    {
                        buffer.ResetWrittenCount();
                        StanzaSerializer.Write(delivery.Template, Ns.Component, buffer);
                        var sender = delivery.Via ?? p.Sender;
                        foreach (var to in delivery.Recipients)
                            await sender.SendSerializedAsync(AddressedCopy.For(buffer.WrittenSpan, to.ToString()), stop);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.FanoutFailed(_logger, ex, archived.Id);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task BounceAsync(Pending p, CancellationToken ct)
    {
        var original = p.Original;
        if (original.GetKind() != StanzaKind.Message || original.IsErrorType()) return;
        try
        {
            await p.Sender.SendAsync(original.ErrorReply(StanzaError.Of(StanzaErrorCondition.InternalServerError,
                "the message could not be archived and was not delivered; please send it again")), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.BounceFailed(_logger, ex, (string?)original.Attribute("from"));
        }
    }
}

/// <summary>One template and who gets it; <see cref="Via"/> is the face's link when it is not the sender's.</summary>
public sealed record DeliveryGroup(XElement Template, IEnumerable<Jid> Recipients, IStanzaSender? Via = null);
