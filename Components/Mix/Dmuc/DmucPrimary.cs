using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Component.Routing;
using XmppGroupChat.Mix.Muc;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Dmuc;

/// <summary>
/// The room host as DMUC2 primary (XEP-0282; the wire contract in docs/dmuc.md): replicas on the
/// allow-list register with a room (<see cref="Replication"/>), enter their users
/// (<see cref="TrustedReplicas"/>, then the core's enter and the MUC face's one copy per replica),
/// are kept alive and split (<see cref="PrimaryKeepalive"/>, <see cref="ReplicaSplits"/>,
/// <see cref="ReplicaTraffic"/>), and resubmit what their users wrote during a split
/// (<see cref="Resubmission"/>). This class holds what they share.
/// </summary>
public sealed class DmucPrimary
{
    private readonly TimeProvider _clock;

    public DmucPrimary(MucService muc, Occupancy occupancy, ParticipantsAsOccupants participants, ReplicaRegistry registry,
        DmucSettings settings, TimeProvider clock)
    {
        Muc = muc;
        Occupancy = occupancy;
        Participants = participants;
        Registry = registry;
        Settings = settings;
        _clock = clock;
        Splits = new ReplicaSplits(this);
        Keepalive = new PrimaryKeepalive(this);
        Traffic = new ReplicaTraffic(this);
        Resubmission = new Resubmission(this);
        if (settings.Replicas.Count > 0)
            RoomHostLog.Trusting(muc.Logger, string.Join(", ", settings.Replicas.Select(r => $"{r.Domain} (for {r.Serves})")));
    }

    public MucService Muc { get; }
    public Occupancy Occupancy { get; }
    public ParticipantsAsOccupants Participants { get; }
    public DmucSettings Settings { get; }
    public ReplicaRegistry Registry { get; }
    public ReplicaSplits Splits { get; }
    public PrimaryKeepalive Keepalive { get; }
    public ReplicaTraffic Traffic { get; }
    public Resubmission Resubmission { get; }
    public ILogger Logger => Muc.Logger;
    public DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>The primary's own routes: registration, and noting that a replica was heard from.</summary>
    public void Declare(RouteTable routes)
    {
        routes.Iq(AddressKind.Entity, IqType.Set, Ns.Dmuc + "replicate", "DMUC2: replication", new Replication(this).OnReplicateAsync);
        routes.Observe("DMUC2: replica liveness", Traffic.NoteHeard);
    }

    /// <summary>The registration a stanza from R or R/&lt;sid&gt; about a room belongs to, or null.</summary>
    public ReplicaRegistration? RegistrationOf(XElement stanza)
    {
        if (!stanza.TryGetFrom(out var from) || from.Local is null || Settings.Find(from.Domain) is null) return null;
        return Muc.FindRoom(stanza) is { } room ? Registry.Find(room, from.Bare) : null;
    }

    /// <summary>Sessions behind one replica in a room, with their occupants.</summary>
    public static List<(Occupant Occupant, Jid Session)> SessionsBehind(Room room, Jid replica) =>
        room.Occupants.SelectMany(o => o.Relayed.Where(r => r.Value.Relay.Address.Equals(replica)).Select(r => (o, r.Key))).ToList();

    /// <summary>Whether the replica's copy may carry real JIDs: the room shows them to all, or one of its users may see them (the seed's rule).</summary>
    public static bool ReplicaSeesJids(Room room, Jid replica) =>
        Features.JidVisibility.ToEveryone(room.Config) || SessionsBehind(room, replica).Any(s => MucService.SeesJids(room, s.Occupant.BareJid));

    /// <summary>XEP-0282 §netsplit detection: the servers' bounces, and service-unavailable for anything but a presence.</summary>
    public static bool MeansSplit(StanzaError error, StanzaKind bounced) => error.Condition switch
    {
        StanzaErrorCondition.RemoteServerNotFound or StanzaErrorCondition.RemoteServerTimeout => true,
        StanzaErrorCondition.ServiceUnavailable => bounced != StanzaKind.Presence,
        _ => false,
    };
}
