using XmppGroupChat.Concurrency;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Component.Routing;

/// <summary>
/// Where the handling of an inbound stanza runs: on the executor that owns the state its address
/// names (a room's, for room@service and room@service/nick; the service's, for the domain). The
/// dispatcher hands each stanza over and reads on, so one busy room never delays another's stanzas,
/// while a room's own stanzas keep their order.
/// </summary>
public interface IDispatchScope
{
    void Run(Jid to, Func<ValueTask> work);
}

/// <summary>One executor for every address: stanzas handled one at a time, in arrival order.</summary>
public sealed class SingleScope(SerialExecutor executor) : IDispatchScope
{
    public void Run(Jid to, Func<ValueTask> work) => executor.Post(work);
}
