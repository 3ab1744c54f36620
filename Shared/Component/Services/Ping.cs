using System.Xml.Linq;
using XmppGroupChat.Component.Routing;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Component.Services;

/// <summary>XEP-0199: answers a ping to any entity that exists in the domain.</summary>
public static class Ping
{
    /// <summary>Pings to the service and to its entities; a domain whose entities answer pings themselves (XEP-0410) declares its own.</summary>
    public static RouteTable AddPing(this RouteTable routes, string owner, Func<Jid, bool> exists, params AddressKind[] to)
    {
        foreach (var kind in to.Length > 0 ? to : [AddressKind.Service, AddressKind.Entity])
            routes.Iq(kind, IqType.Get, Ns.Ping + "ping", owner, (iq, _) =>
            {
                if (!exists(iq.GetTo()!))
                    throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound));
                return ValueTask.FromResult<XElement?>(null);
            });
        return routes;
    }
}
