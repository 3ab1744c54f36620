using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using XmppGroupChat.Component;
using XmppGroupChat.Component.Services;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>What the replica's domain (dmuc-replica.&lt;server&gt;) answers, and how each concern is wired to the link.</summary>
public static class ReplicaDomain
{
    public static DiscoInfo ServiceInfo() => new DiscoInfo()
        .AddIdentity(new DiscoIdentity("conference", "text", "DMUC2 replica"))
        .AddFeature(Ns.DiscoInfo.NamespaceName)
        .AddFeature(Ns.DiscoItems.NamespaceName)
        .AddFeature(Ns.Ping.NamespaceName)
        // Not the muc feature: the service cannot host a room of its own, and clients that pick the
        // first conference service with it (the OLPC profile) must find the room host. Its rooms say muc.
        .AddFeature(Ns.Dmuc.NamespaceName);

    private static DiscoInfo RoomInfo(Jid primary) => new DiscoInfo()
        .AddIdentity(new DiscoIdentity("conference", "text", primary.ToString()))
        .AddFeature(Ns.Muc.NamespaceName)
        .AddFeature(Ns.Ping.NamespaceName)
        .AddFeature("http://jabber.org/protocol/muc#self-ping-optimization");

    public static void Configure(StanzaRouter router, IStanzaSender sender, IServiceProvider services)
    {
        var host = services.GetRequiredService<ReplicaHost>();
        host.Attach(Wire(router, host.CreateService(sender)));
    }

    /// <summary>Registers every handler; returns the keepalive the host drives.</summary>
    public static Keepalive Wire(StanzaRouter router, ReplicaService replica)
    {
        var membership = new Membership(replica);
        var splitChat = new SplitChat(replica);
        var split = new SplitDetector(replica, membership, splitChat);
        var netjoin = new Netjoin(replica, membership);
        var registration = new Registration(replica, split, membership, netjoin);
        var keepalive = new Keepalive(replica, registration, split, membership);
        var changes = new PresenceChanges(replica);
        var entering = new Entering(replica, registration, new ReplicaHistory(replica), changes, membership);
        var leaving = new Leaving(replica, membership);
        var submission = new Submission(replica, splitChat);
        var distribution = new Distribution(replica, registration);
        var primary = new PrimaryTraffic(replica, keepalive, split, membership, distribution, entering, leaving, submission);

        var domain = replica.Addresses.Domain;
        router.AddServiceDiscovery(
            (jid, node, _) => node is not null ? null
                : jid.Equals(domain) ? ServiceInfo()
                : jid.IsBare && replica.Addresses.PrimaryOf(jid) is { } p ? RoomInfo(p) : null,
            (jid, node, _) => node is null && (jid.Equals(domain) || (jid.IsBare && replica.Addresses.PrimaryOf(jid) != null)) ? new DiscoItems() : null);
        router.OnIqGet(Ns.Ping + "ping", async (iq, ct) =>
        {
            var to = iq.GetTo()!;
            if (to.Equals(domain)) return null;
            if (replica.FromPrimary(iq))
                return await primary.OnPingAsync(iq, ct) ? null
                    : throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, "this replica no longer holds the room"));
            return SelfPing(replica, iq);
        });

        router.OnMessage(primary.OnMessageAsync, replica.FromPrimary);
        router.OnMessage(leaving.OnUserBounceAsync, m => m.IsErrorType());
        router.OnMessage(submission.OnGroupchatAsync, m => m.GetTo() is { Local: not null, Resource: null });
        router.OnMessage(submission.OnPrivateAsync, m => m.GetTo() is { Local: not null, Resource: not null });

        router.OnPresence(primary.OnPresenceAsync, replica.FromPrimary);
        router.OnPresence(leaving.OnUserBounceAsync, p => p.IsErrorType());
        router.OnPresence(leaving.OnUserUnavailableAsync, p => p.GetStanzaType() == "unavailable" && p.GetTo()!.Local != null);
        router.OnPresence(entering.OnUserPresenceAsync, p => p.GetStanzaType() is null && p.GetTo()!.Local != null);
        return keepalive;
    }

    // XEP-0410: a ping to one's own occupant address is answered while the client is in the room.
    private static XElement? SelfPing(ReplicaService replica, XElement iq)
    {
        var to = iq.GetTo()!;
        var room = replica.FindRoom(to);
        if (room is null && replica.Addresses.PrimaryOf(to) is null)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound));
        if (to.Resource is null) return null;
        var joined = room != null && room.Sessions.TryGetValue(iq.GetFrom()!, out var s) && s.State == SessionState.Joined && s.Nick == to.Resource;
        return joined ? null : throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable, "you are not in this room under that nick"));
    }
}
