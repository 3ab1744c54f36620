using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Component.Routing;

/// <summary>
/// Which addresses of a component domain a route takes: the service itself (mix.example.org), an
/// entity on it (a room: room@mix.example.org), or an entity's resource (an occupant or a relay
/// session: room@muc.example.org/nick).
/// </summary>
public enum AddressKind
{
    Service,
    Entity,
    Resource,
}

public static class AddressKinds
{
    public static AddressKind Of(Jid to) => to.Local is null ? AddressKind.Service : to.Resource is null ? AddressKind.Entity : AddressKind.Resource;
}
