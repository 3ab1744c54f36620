using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Component.Services;

/// <summary>XEP-0199: answers a ping to any entity that exists in the domain.</summary>
public static class Ping
{
    public static StanzaRouter AddPing(this StanzaRouter router, Func<Jid, bool> exists)
    {
        router.OnIqGet(Ns.Ping + "ping", (iq, _) =>
        {
            if (!exists(iq.GetTo()!))
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound));
            return ValueTask.FromResult<XElement?>(null);
        });
        return router;
    }
}
