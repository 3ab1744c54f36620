using System.Collections.Concurrent;
using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Component;

/// <summary>Matches IQ results and errors to the requests that are waiting for them.</summary>
internal sealed class IqTracker
{
    private sealed record Pending(TaskCompletionSource<XElement> Completion, string? To);

    private readonly ConcurrentDictionary<string, Pending> _pending = new();

    public int Count => _pending.Count;

    /// <summary>Registers a request before it is sent; the task ends with the response, a timeout or cancellation.</summary>
    public Task<XElement> Register(string id, string? to, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var tcs = new TaskCompletionSource<XElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.TryAdd(id, new Pending(tcs, to)))
            throw new InvalidOperationException($"an IQ with id '{id}' is already waiting");

        var timer = new CancellationTokenSource(timeout);
        var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        var registration = linked.Token.Register(() =>
        {
            if (!_pending.TryRemove(id, out _)) return;
            if (cancellationToken.IsCancellationRequested) tcs.TrySetCanceled(cancellationToken);
            else tcs.TrySetException(new TimeoutException($"no response to IQ '{id}' to {to} within {timeout.TotalSeconds:0.#} s"));
        });
        tcs.Task.ContinueWith(_ =>
        {
            registration.Dispose();
            linked.Dispose();
            timer.Dispose();
        }, TaskScheduler.Default);
        return tcs.Task;
    }

    /// <summary>Forgets a request whose send failed.</summary>
    public void Cancel(string id, Exception reason)
    {
        if (_pending.TryRemove(id, out var p)) p.Completion.TrySetException(reason);
    }

    /// <summary>Completes the waiting request this response answers; false if nobody waits for it.</summary>
    public bool TryComplete(XElement response) => TryTake(response) is { } p && p.Completion.TrySetResult(response);

    /// <summary>
    /// Fails the waiting request this response answers with <paramref name="reason"/> (a response
    /// that could not be taken whole); false if nobody waits for it.
    /// </summary>
    public bool TryFail(XElement response, Exception reason) => TryTake(response) is { } p && p.Completion.TrySetException(reason);

    private Pending? TryTake(XElement response)
    {
        var id = response.GetId();
        if (id is null || !_pending.TryGetValue(id, out var p)) return null;
        // A response must come from whom the request went to; anything else could be a spoof.
        if (!SameAddress(p.To, (string?)response.Attribute("from"))) return null;
        return _pending.TryRemove(id, out _) ? p : null;
    }

    private static bool SameAddress(string? to, string? from)
    {
        if (to is null || from is null) return true;
        if (string.Equals(to, from, StringComparison.Ordinal)) return true;
        return Jid.TryParse(to, out var a) && Jid.TryParse(from, out var b) && a.Equals(b);
    }
}
