using System.Xml.Linq;
using XmppGroupChat.Component.Routing;
using XmppGroupChat.Mix.Dmuc;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Muc;

/// <summary>
/// Errors coming back to a room or occupant address: a delivery bounced. A DMUC2 replica's bounce may
/// mean a netsplit, or that the replica let the room or a session go (the primary acts on those);
/// any other bounce takes the dead client, or every session behind a gone relay, out of the room.
/// </summary>
public sealed class RoomBounces(Occupancy occupancy, ReplicaTraffic? replicas)
{
    public void Declare(RouteTable routes)
    {
        foreach (var to in new[] { AddressKind.Entity, AddressKind.Resource })
        {
            routes.Message(to, MessageType.Error, "MUC: bounces", OnBounceAsync);
            routes.Presence(to, PresenceType.Error, "MUC: bounces", OnBounceAsync);
        }
    }

    private async ValueTask OnBounceAsync(XElement error, CancellationToken ct)
    {
        if (replicas != null && await replicas.TryHandleBounceAsync(error, ct)) return;
        await occupancy.OnBounceAsync(error, ct);
    }
}
