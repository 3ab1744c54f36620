using System.Xml.Linq;
using XmppGroupChat.Component.Routing;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Component.Services;

/// <summary>
/// XEP-0030 for a component: answers disco#info and disco#items for the entities it knows and
/// item-not-found for any other address in its domain.
/// </summary>
public static class ServiceDiscovery
{
    /// <summary>Looks up the info of an entity in the domain (the domain itself, a room...), or null if there is none.</summary>
    public delegate DiscoInfo? InfoProvider(Jid entity, string? node, Jid requester);

    public delegate DiscoItems? ItemsProvider(Jid entity, string? node, Jid requester);

    public static RouteTable AddServiceDiscovery(this RouteTable routes, string owner, InfoProvider info, ItemsProvider items)
    {
        foreach (var kind in new[] { AddressKind.Service, AddressKind.Entity, AddressKind.Resource })
        {
            routes.Iq(kind, IqType.Get, Ns.DiscoInfo + "query", owner, (iq, _) =>
            {
                var node = (string?)iq.GetPayload()!.Attribute("node");
                var result = info(iq.GetTo()!, node, iq.GetFrom()!)
                             ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound));
                return ValueTask.FromResult<XElement?>(result.ToElement());
            });
            routes.Iq(kind, IqType.Get, Ns.DiscoItems + "query", owner, (iq, _) =>
            {
                var node = (string?)iq.GetPayload()!.Attribute("node");
                var result = items(iq.GetTo()!, node, iq.GetFrom()!)
                             ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound));
                return ValueTask.FromResult<XElement?>(result.ToElement());
            });
        }
        return routes;
    }

    /// <summary>The simplest case: only the domain itself exists, with one identity and its features.</summary>
    public static RouteTable AddServiceDiscovery(this RouteTable routes, string owner, Jid domain, DiscoInfo serviceInfo,
        Func<DiscoItems>? serviceItems = null) =>
        routes.AddServiceDiscovery(owner,
            (jid, node, _) => jid.Equals(domain) && node is null ? serviceInfo : null,
            (jid, node, _) => jid.Equals(domain) && node is null ? serviceItems?.Invoke() ?? new DiscoItems() : null);
}
