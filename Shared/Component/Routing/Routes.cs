using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Component.Routing;

/// <summary>A built <see cref="RouteTable"/>: finds the one route for a stanza, or says why there is none.</summary>
public sealed class Routes
{
    private readonly Dictionary<RouteKey, Route> _routes;
    private readonly HashSet<XName> _messageTriggers;
    private readonly Action<XElement>[] _observers;

    internal Routes(Dictionary<RouteKey, Route> routes, HashSet<XName> messageTriggers, Action<XElement>[] observers)
    {
        _routes = routes;
        _messageTriggers = messageTriggers;
        _observers = observers;
    }

    internal void Observe(XElement stanza)
    {
        foreach (var observer in _observers) observer(stanza);
    }

    /// <summary>The route for an IQ request with this payload, or the catch-all IQ route of the address kind.</summary>
    internal Route? ForIq(AddressKind to, IqType type, XName? payload) =>
        _routes.GetValueOrDefault(new RouteKey(StanzaKind.Iq, to, RouteTable.AnyType, null))
        ?? (payload is null || type is not (IqType.Get or IqType.Set) ? null : _routes.GetValueOrDefault(new RouteKey(StanzaKind.Iq, to, (int)type, payload)));

    /// <summary>
    /// The route for a message: the one for the trigger element it carries, else the plain one for its
    /// type. A message carrying two triggers is ambiguous (<paramref name="ambiguous"/> names them).
    /// </summary>
    internal Route? ForMessage(AddressKind to, MessageType type, XElement message, out string? ambiguous)
    {
        ambiguous = null;
        XName? trigger = null;
        if (_messageTriggers.Count > 0)
        {
            foreach (var child in message.Elements())
            {
                if (!_messageTriggers.Contains(child.Name) || !_routes.ContainsKey(new RouteKey(StanzaKind.Message, to, (int)type, child.Name))) continue;
                if (trigger != null && trigger != child.Name)
                {
                    ambiguous = $"<{trigger.LocalName} xmlns='{trigger.NamespaceName}'/> and <{child.Name.LocalName} xmlns='{child.Name.NamespaceName}'/>";
                    return null;
                }
                trigger = child.Name;
            }
        }
        return _routes.GetValueOrDefault(new RouteKey(StanzaKind.Message, to, (int)type, trigger));
    }

    internal Route? ForPresence(AddressKind to, PresenceType type) =>
        _routes.GetValueOrDefault(new RouteKey(StanzaKind.Presence, to, (int)type, null));
}
