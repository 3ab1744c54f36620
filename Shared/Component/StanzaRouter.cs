using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Component;

using IqHandler = XmppGroupChat.Component.Routing.IqHandler;
using StanzaHandler = XmppGroupChat.Component.Routing.StanzaHandler;

/// <summary>
/// Routes inbound stanzas to handlers by kind, IQ type and payload name. Owns the protocol
/// defaults every entity needs: an IQ nobody handles gets service-unavailable, a message nobody
/// handles is bounced, a handler's failure becomes a stanza error, and a result or error is
/// never answered with an error. Two refusals come before any handler: a stanza the reader
/// skipped for breaking a per-stanza limit gets policy-violation, whatever its kind (one generic
/// answer, so no handler ever sees a stand-in), and an IQ get or set without an id gets
/// bad-request, so no handler can be asked to build a result that could not be matched.
/// A skipped IQ response goes on to the handlers as a policy-violation error from its sender, so
/// a relay waiting for it still answers its own requester; a skipped message or presence error
/// is logged and dropped.
/// </summary>
public sealed class StanzaRouter(ILogger logger)
{
    private readonly Dictionary<(string Type, XName Payload), IqHandler> _iq = new();
    private readonly List<(Func<XElement, bool>? When, StanzaHandler Handler)> _iqRoutes = new();
    private readonly List<(Func<XElement, bool>? When, StanzaHandler Handler)> _messages = new();
    private readonly List<(Func<XElement, bool>? When, StanzaHandler Handler)> _presences = new();

    public StanzaRouter OnIqGet(XName payload, IqHandler handler) => OnIq("get", payload, handler);
    public StanzaRouter OnIqSet(XName payload, IqHandler handler) => OnIq("set", payload, handler);

    private StanzaRouter OnIq(string type, XName payload, IqHandler handler)
    {
        if (!_iq.TryAdd((type, payload), handler))
            throw new InvalidOperationException($"an IQ {type} handler for {payload} is already registered");
        return this;
    }

    /// <summary>
    /// Takes the IQs <paramref name="when"/> matches, requests and responses alike, before the
    /// payload handlers see them. The handler answers a request itself (or throws a
    /// <see cref="StanzaErrorException"/>): for relays, whose answer arrives later as a response
    /// that must keep its place in the order of inbound stanzas.
    /// </summary>
    public StanzaRouter OnIq(StanzaHandler handler, Func<XElement, bool> when)
    {
        _iqRoutes.Add((when, handler));
        return this;
    }

    /// <summary>Handles messages <paramref name="when"/> matches (all when null); the first match wins.</summary>
    public StanzaRouter OnMessage(StanzaHandler handler, Func<XElement, bool>? when = null)
    {
        _messages.Add((when, handler));
        return this;
    }

    public StanzaRouter OnPresence(StanzaHandler handler, Func<XElement, bool>? when = null)
    {
        _presences.Add((when, handler));
        return this;
    }

    /// <summary>This router as a link's inbound handler, answering through <paramref name="sender"/>, one stanza at a time.</summary>
    public IInboundStanzas For(IStanzaSender sender) => new Inbound(this, sender);

    private sealed class Inbound(StanzaRouter router, IStanzaSender sender) : IInboundStanzas
    {
        public ValueTask DispatchAsync(XElement stanza, CancellationToken cancellationToken) => router.DispatchAsync(stanza, sender, cancellationToken);
        public ValueTask LinkUpAsync(Routing.LinkUp up, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    public async ValueTask DispatchAsync(XElement stanza, IStanzaSender sender, CancellationToken cancellationToken)
    {
        var kind = stanza.GetKind();
        if (kind == StanzaKind.Other)
        {
            Log.Unanswerable(logger, sender.Domain.ToString(), stanza.Name.LocalName, "not a stanza");
            return;
        }
        var kindName = stanza.Name.LocalName;
        var isError = stanza.IsErrorType();

        if (!Jid.TryParse((string?)stanza.Attribute("from"), out _))
        {
            // Without a valid sender there is nobody to answer; the server should never let this through.
            Log.Unanswerable(logger, sender.Domain.ToString(), kindName, "missing or malformed 'from'");
            return;
        }
        if (!Jid.TryParse((string?)stanza.Attribute("to"), out _))
        {
            if (!isError && !stanza.IsResponse())
                await RejectAsync(stanza, sender, StanzaError.Of(StanzaErrorCondition.JidMalformed, "malformed 'to' address"),
                    fromDomain: true, cancellationToken);
            return;
        }

        if (SkippedStanza.ReasonFor(stanza) is { } skipped)
        {
            var error = StanzaError.Of(StanzaErrorCondition.PolicyViolation, skipped);
            if (!isError && !stanza.IsResponse())
            {
                await RejectAsync(stanza, sender, error, false, cancellationToken);
                return;
            }
            Log.Rejected(logger, sender.Domain.ToString(), kindName, (string?)stanza.Attribute("from"), error.Condition.ToXmlName(), skipped);
            if (!stanza.IsResponse()) return;
            stanza = ResponseAsError(stanza, error);
            isError = true;
        }
        if (stanza.IsRequest() && stanza.GetId() is null)
        {
            await RejectAsync(stanza, sender, StanzaError.Of(StanzaErrorCondition.BadRequest, "an IQ get or set must carry an id"),
                false, cancellationToken);
            return;
        }

        try
        {
            switch (kind)
            {
                case StanzaKind.Iq:
                    if (!await RunFirstMatchAsync(_iqRoutes, stanza, cancellationToken))
                        await DispatchIqAsync(stanza, sender, cancellationToken);
                    break;
                case StanzaKind.Message:
                    if (!await RunFirstMatchAsync(_messages, stanza, cancellationToken) && !isError)
                        await RejectAsync(stanza, sender, StanzaError.Of(StanzaErrorCondition.ServiceUnavailable), false, cancellationToken);
                    break;
                case StanzaKind.Presence:
                    // Presence nobody handles needs no answer (RFC 6121 lets a service ignore it).
                    await RunFirstMatchAsync(_presences, stanza, cancellationToken);
                    break;
            }
        }
        catch (StanzaErrorException ex)
        {
            if (!isError && !stanza.IsResponse())
                await RejectAsync(stanza, sender, ex.Error, false, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(logger, ex, sender.Domain.ToString(), kindName, (string?)stanza.Attribute("from"));
            if (!isError && !stanza.IsResponse())
                await RejectAsync(stanza, sender, StanzaError.Of(StanzaErrorCondition.InternalServerError), false, cancellationToken);
        }
    }

    private async ValueTask DispatchIqAsync(XElement iq, IStanzaSender sender, CancellationToken ct)
    {
        var type = iq.GetStanzaType();
        if (type is "result" or "error") return; // unmatched response: nobody waits for it any more
        if (type is not ("get" or "set"))
        {
            await RejectAsync(iq, sender, StanzaError.Of(StanzaErrorCondition.BadRequest, "IQ type must be get, set, result or error"), false, ct);
            return;
        }
        var payload = iq.GetPayload();
        if (payload is null || payload.NextNode is XElement || payload.ElementsBeforeSelf().Any())
        {
            await RejectAsync(iq, sender, StanzaError.Of(StanzaErrorCondition.BadRequest, "an IQ get or set carries exactly one payload element"), false, ct);
            return;
        }
        if (!_iq.TryGetValue((type, payload.Name), out var handler))
        {
            await RejectAsync(iq, sender, StanzaError.Of(StanzaErrorCondition.ServiceUnavailable), false, ct);
            return;
        }
        var result = await handler(iq, ct);
        await sender.SendAsync(iq.ResultReply(result), ct);
    }

    /// <summary>An IQ response that could not be taken whole, as the error it amounts to for whoever waits for it.</summary>
    private static XElement ResponseAsError(XElement standIn, StanzaError error)
    {
        var e = new XElement(standIn.Name, standIn.Attributes());
        e.SetAttributeValue("type", "error");
        e.Add(error.ToElement(standIn.Name.Namespace));
        return e;
    }

    private static async ValueTask<bool> RunFirstMatchAsync(List<(Func<XElement, bool>? When, StanzaHandler Handler)> handlers,
        XElement stanza, CancellationToken ct)
    {
        foreach (var (when, handler) in handlers)
        {
            if (when != null && !when(stanza)) continue;
            await handler(stanza, ct);
            return true;
        }
        return false;
    }

    private async ValueTask RejectAsync(XElement stanza, IStanzaSender sender, StanzaError error, bool fromDomain, CancellationToken ct)
    {
        var from = (string?)stanza.Attribute("from");
        var condition = error.Condition.ToXmlName();
        if (IsMisbehaviour(error.Condition))
            Log.Rejected(logger, sender.Domain.ToString(), stanza.Name.LocalName, from, condition, error.Text);
        else
            Log.Refused(logger, sender.Domain.ToString(), stanza.Name.LocalName, from, condition, error.Text);

        var reply = stanza.ErrorReply(error);
        // A reply's 'from' must be in our domain or the server closes the stream; when the
        // original 'to' was unusable, answer from the bare domain.
        if (fromDomain) reply.SetAttributeValue("from", sender.Domain.ToString());
        await sender.SendAsync(reply, ct);
    }

    // Conditions that point at a misbehaving or unauthorised sender: worth an admin's attention.
    private static bool IsMisbehaviour(StanzaErrorCondition c) => c is StanzaErrorCondition.BadRequest
        or StanzaErrorCondition.JidMalformed or StanzaErrorCondition.Forbidden or StanzaErrorCondition.NotAuthorized
        or StanzaErrorCondition.NotAllowed or StanzaErrorCondition.PolicyViolation or StanzaErrorCondition.InternalServerError;
}

/// <summary>Discovery and ping on a <see cref="StanzaRouter"/>, for the programs still wired through one.</summary>
public static class StanzaRouterServices
{
    public static StanzaRouter AddServiceDiscovery(this StanzaRouter router, Services.ServiceDiscovery.InfoProvider info, Services.ServiceDiscovery.ItemsProvider items)
    {
        router.OnIqGet(Ns.DiscoInfo + "query", (iq, _) =>
        {
            var node = (string?)iq.GetPayload()!.Attribute("node");
            var result = info(iq.GetTo()!, node, iq.GetFrom()!) ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound));
            return ValueTask.FromResult<XElement?>(result.ToElement());
        });
        router.OnIqGet(Ns.DiscoItems + "query", (iq, _) =>
        {
            var node = (string?)iq.GetPayload()!.Attribute("node");
            var result = items(iq.GetTo()!, node, iq.GetFrom()!) ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound));
            return ValueTask.FromResult<XElement?>(result.ToElement());
        });
        return router;
    }

    public static StanzaRouter AddServiceDiscovery(this StanzaRouter router, Jid domain, DiscoInfo serviceInfo) =>
        router.AddServiceDiscovery((jid, node, _) => jid.Equals(domain) && node is null ? serviceInfo : null,
            (jid, node, _) => jid.Equals(domain) && node is null ? new DiscoItems() : null);

    public static StanzaRouter AddPing(this StanzaRouter router, Func<Jid, bool> exists)
    {
        router.OnIqGet(Ns.Ping + "ping", (iq, _) =>
        {
            if (!exists(iq.GetTo()!)) throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound));
            return ValueTask.FromResult<XElement?>(null);
        });
        return router;
    }
}
