using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Component.Routing;

/// <summary>
/// Routes one domain's inbound stanzas (<see cref="Routes"/>) and owns the protocol defaults every
/// entity needs: a request nobody takes gets service-unavailable, a message nobody takes is bounced,
/// a handler's failure becomes a stanza error, and a result or error is never answered. Each stanza is
/// handed to the executor its address names (<see cref="IDispatchScope"/>) and the dispatcher reads
/// on: a slow handler holds up its own room only. At most <c>maxInFlight</c> stanzas are being handled
/// at once; beyond that the link's reader waits, so a flood cannot grow memory without bound.
/// </summary>
public sealed class StanzaDispatcher : IInboundStanzas
{
    private readonly Routes _routes;
    private readonly IStanzaSender _sender;
    private readonly IDispatchScope _scope;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _admission;
    private readonly LinkUpHandler[] _linkUp;
    private readonly string _domain;

    public StanzaDispatcher(Routes routes, IStanzaSender sender, IDispatchScope scope, ILogger logger,
        IEnumerable<LinkUpHandler>? linkUp = null, int maxInFlight = 4096)
    {
        _routes = routes;
        _sender = sender;
        _scope = scope;
        _logger = logger;
        _admission = new SemaphoreSlim(maxInFlight, maxInFlight);
        _linkUp = linkUp?.ToArray() ?? [];
        _domain = sender.Domain.ToString();
    }

    public async ValueTask DispatchAsync(XElement stanza, CancellationToken cancellationToken)
    {
        var kind = stanza.GetKind();
        if (kind == StanzaKind.Other)
        {
            Log.Unanswerable(_logger, _domain, stanza.Name.LocalName, "not a stanza");
            return;
        }
        if (!Jid.TryParse((string?)stanza.Attribute("from"), out _))
        {
            // Without a valid sender there is nobody to answer; the server should never let this through.
            Log.Unanswerable(_logger, _domain, stanza.Name.LocalName, "missing or malformed 'from'");
            return;
        }
        if (!Jid.TryParse((string?)stanza.Attribute("to"), out var to))
        {
            if (!stanza.IsErrorType() && !stanza.IsResponse())
                await RejectAsync(stanza, StanzaError.Of(StanzaErrorCondition.JidMalformed, "malformed 'to' address"), fromDomain: true, cancellationToken);
            return;
        }
        if (SkippedStanza.ReasonFor(stanza) is { } skipped)
        {
            // One user's stanza over a per-stanza limit, skipped by the reader without being built:
            // refused on its own (never answering an error or a result), and the stream goes on.
            var error = StanzaError.Of(StanzaErrorCondition.PolicyViolation, skipped);
            if (!stanza.IsErrorType() && !stanza.IsResponse())
            {
                await RejectAsync(stanza, error, false, cancellationToken);
                return;
            }
            Log.Rejected(_logger, _domain, stanza.Name.LocalName, (string?)stanza.Attribute("from"), error.Condition.ToXmlName(), skipped);
            if (!stanza.IsResponse()) return;
            // An oversized response nobody waits for reaches a relay as an error from its sender.
            stanza = ResponseAsError(stanza, error);
        }
        _routes.Observe(stanza);
        await _admission.WaitAsync(cancellationToken);
        _scope.Run(to, async () =>
        {
            try
            {
                await HandleAsync(stanza, kind, to, cancellationToken);
            }
            finally
            {
                _admission.Release();
            }
        });
    }

    public async ValueTask LinkUpAsync(LinkUp up, CancellationToken cancellationToken)
    {
        foreach (var handler in _linkUp)
        {
            try
            {
                await handler(up, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.HandlerFailed(_logger, ex, _domain, "link-up", null);
            }
        }
    }

    private async ValueTask HandleAsync(XElement stanza, StanzaKind kind, Jid to, CancellationToken ct)
    {
        var address = AddressKinds.Of(to);
        var answerable = !stanza.IsErrorType() && !stanza.IsResponse();
        try
        {
            switch (kind)
            {
                case StanzaKind.Iq:
                    await HandleIqAsync(stanza, address, ct);
                    break;
                case StanzaKind.Message:
                    var type = stanza.GetMessageType();
                    var route = _routes.ForMessage(address, type, stanza, out var ambiguous);
                    if (ambiguous != null)
                        throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, $"a message cannot carry both {ambiguous}"));
                    if (route != null) await route.Stanza!(stanza, ct);
                    else if (answerable) await RejectAsync(stanza, StanzaError.Of(StanzaErrorCondition.ServiceUnavailable), false, ct);
                    break;
                case StanzaKind.Presence:
                    // Presence nobody takes needs no answer (RFC 6121 lets a service ignore it).
                    if (_routes.ForPresence(address, stanza.GetPresenceType()) is { } presence) await presence.Stanza!(stanza, ct);
                    break;
            }
        }
        catch (StanzaErrorException ex)
        {
            if (answerable) await RejectAsync(stanza, ex.Error, false, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(_logger, ex, _domain, stanza.Name.LocalName, (string?)stanza.Attribute("from"));
            if (answerable) await RejectAsync(stanza, StanzaError.Of(StanzaErrorCondition.InternalServerError), false, ct);
        }
    }

    private async ValueTask HandleIqAsync(XElement iq, AddressKind address, CancellationToken ct)
    {
        var type = iq.GetIqType();
        if (type == IqType.Invalid)
        {
            await RejectAsync(iq, StanzaError.Of(StanzaErrorCondition.BadRequest, "IQ type must be get, set, result or error"), false, ct);
            return;
        }
        var request = type is IqType.Get or IqType.Set;
        if (request && iq.GetId() is null)
        {
            // RFC 6120 §8.2.3: an IQ must carry an id; without one no answer could be matched to it.
            await RejectAsync(iq, StanzaError.Of(StanzaErrorCondition.BadRequest, "an IQ get or set must carry an id"), false, ct);
            return;
        }
        var payload = iq.GetPayload();
        var route = _routes.ForIq(address, type, payload?.Name);
        if (route?.Stanza is { } relay)
        {
            await relay(iq, ct); // every IQ to this address kind is the route's to answer or pass on
            return;
        }
        if (!request) return; // an unmatched response: nobody waits for it any more
        if (payload is null || payload.NextNode is XElement || payload.ElementsBeforeSelf().Any())
        {
            await RejectAsync(iq, StanzaError.Of(StanzaErrorCondition.BadRequest, "an IQ get or set carries exactly one payload element"), false, ct);
            return;
        }
        if (route?.Iq is not { } handler)
        {
            await RejectAsync(iq, StanzaError.Of(StanzaErrorCondition.ServiceUnavailable), false, ct);
            return;
        }
        var result = await handler(iq, ct);
        await _sender.SendAsync(iq.ResultReply(result), ct);
    }

    private async ValueTask RejectAsync(XElement stanza, StanzaError error, bool fromDomain, CancellationToken ct)
    {
        var from = (string?)stanza.Attribute("from");
        var condition = error.Condition.ToXmlName();
        if (IsMisbehaviour(error.Condition))
            Log.Rejected(_logger, _domain, stanza.Name.LocalName, from, condition, error.Text);
        else
            Log.Refused(_logger, _domain, stanza.Name.LocalName, from, condition, error.Text);

        var reply = stanza.ErrorReply(error);
        // A reply's 'from' must be in our domain or the server closes the stream; when the
        // original 'to' was unusable, answer from the bare domain.
        if (fromDomain) reply.SetAttributeValue("from", _domain);
        await _sender.SendAsync(reply, ct);
    }

    private static XElement ResponseAsError(XElement standIn, StanzaError error)
    {
        var e = new XElement(standIn.Name, standIn.Attributes());
        e.SetAttributeValue("type", "error");
        e.Add(error.ToElement(standIn.Name.Namespace));
        return e;
    }

    // Conditions that point at a misbehaving or unauthorised sender: worth an admin's attention.
    private static bool IsMisbehaviour(StanzaErrorCondition c) => c is StanzaErrorCondition.BadRequest
        or StanzaErrorCondition.JidMalformed or StanzaErrorCondition.Forbidden or StanzaErrorCondition.NotAuthorized
        or StanzaErrorCondition.NotAllowed or StanzaErrorCondition.PolicyViolation or StanzaErrorCondition.InternalServerError;
}
