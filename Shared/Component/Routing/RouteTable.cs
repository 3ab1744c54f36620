using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Component.Routing;

/// <summary>
/// The routes of one component domain, declared by what they take: the kind of address, the kind
/// and type of stanza, and for IQs the payload (for messages, optionally a child element the message
/// carries, such as a retraction). Two declarations that could take the same stanza are refused when
/// the table is built, naming both owners: nothing depends on the order of registration, and adding
/// a handler cannot silently shadow another.
/// </summary>
public sealed class RouteTable
{
    private readonly Dictionary<RouteKey, Route> _routes = new();
    private readonly List<(string Owner, Action<XElement> Observer)> _observers = [];
    private readonly List<string> _conflicts = [];

    /// <summary>An IQ get or set with this payload, to this kind of address.</summary>
    public RouteTable Iq(AddressKind to, IqType type, XName payload, string owner, IqHandler handler)
    {
        if (type is not (IqType.Get or IqType.Set)) throw new ArgumentException("only get and set carry a payload to route by", nameof(type));
        return Add(new RouteKey(StanzaKind.Iq, to, (int)type, payload), new Route(owner, null, handler));
    }

    /// <summary>
    /// Every IQ to this kind of address, requests and unmatched responses alike (a relay passes both on,
    /// in order). It cannot share the address kind with a payload route.
    /// </summary>
    public RouteTable AnyIq(AddressKind to, string owner, StanzaHandler handler) =>
        Add(new RouteKey(StanzaKind.Iq, to, AnyType, null), new Route(owner, handler, null));

    /// <summary>
    /// Messages of this type to this kind of address; with <paramref name="carrying"/>, only those with
    /// such a child element (which then go here instead of to the route without one).
    /// </summary>
    public RouteTable Message(AddressKind to, MessageType type, string owner, StanzaHandler handler, XName? carrying = null) =>
        Add(new RouteKey(StanzaKind.Message, to, (int)type, carrying), new Route(owner, handler, null));

    /// <summary>Presences of this type to this kind of address.</summary>
    public RouteTable Presence(AddressKind to, PresenceType type, string owner, StanzaHandler handler) =>
        Add(new RouteKey(StanzaKind.Presence, to, (int)type, null), new Route(owner, handler, null));

    /// <summary>
    /// Sees every inbound stanza before it is routed, and cannot take it: for what must notice traffic
    /// without answering it (a DMUC2 primary noting that a replica is alive). Must be cheap and must not throw.
    /// </summary>
    public RouteTable Observe(string owner, Action<XElement> observer)
    {
        _observers.Add((owner, observer));
        return this;
    }

    /// <summary>The routes, ready to dispatch; throws <see cref="RouteConflictException"/> listing every conflict.</summary>
    public Routes Build()
    {
        foreach (var (key, route) in _routes.Where(r => r.Key.Kind == StanzaKind.Iq && r.Key.Type == AnyType))
            foreach (var (other, otherRoute) in _routes.Where(r => r.Key.Kind == StanzaKind.Iq && r.Key.Type != AnyType && r.Key.To == key.To))
                _conflicts.Add($"every IQ to {Describe(key.To)} ({route.Owner}) overlaps {Describe(other)} ({otherRoute.Owner})");
        if (_conflicts.Count > 0) throw new RouteConflictException(_conflicts);
        return new Routes(new Dictionary<RouteKey, Route>(_routes),
            _routes.Keys.Where(k => k.Kind == StanzaKind.Message && k.Payload != null).Select(k => k.Payload!).ToHashSet(),
            _observers.Select(o => o.Observer).ToArray());
    }

    private RouteTable Add(RouteKey key, Route route)
    {
        if (_routes.TryGetValue(key, out var existing))
            _conflicts.Add($"{Describe(key)} is taken by {existing.Owner} and by {route.Owner}");
        else
            _routes.Add(key, route);
        return this;
    }

    internal const int AnyType = -1;

    private static string Describe(AddressKind kind) => kind switch
    {
        AddressKind.Service => "the service",
        AddressKind.Entity => "an entity (room@service)",
        _ => "an entity's resource (room@service/nick)",
    };

    private static string Describe(RouteKey key) => key.Kind switch
    {
        StanzaKind.Iq when key.Type == AnyType => $"every IQ to {Describe(key.To)}",
        StanzaKind.Iq => $"IQ {(IqType)key.Type} {key.Payload} to {Describe(key.To)}",
        StanzaKind.Message => $"{(MessageType)key.Type} message{(key.Payload is null ? "" : $" carrying {key.Payload}")} to {Describe(key.To)}",
        _ => $"{(PresenceType)key.Type} presence to {Describe(key.To)}",
    };
}

/// <summary>Two route declarations could take the same stanza: a programming error, reported at start-up.</summary>
public sealed class RouteConflictException(IReadOnlyList<string> conflicts)
    : Exception("Conflicting routes: " + string.Join("; ", conflicts))
{
    public IReadOnlyList<string> Conflicts { get; } = conflicts;
}

internal readonly record struct RouteKey(StanzaKind Kind, AddressKind To, int Type, XName? Payload);

internal sealed record Route(string Owner, StanzaHandler? Stanza, IqHandler? Iq);
