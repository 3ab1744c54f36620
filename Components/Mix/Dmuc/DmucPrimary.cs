using System.Collections.Concurrent;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Component;
using XmppGroupChat.Mix.Muc;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Dmuc;

/// <summary>
/// The room host as DMUC2 primary (XEP-0282; the wire contract in docs/dmuc.md): replicas on the
/// allow-list register with a room (<see cref="Replication"/>), enter their users
/// (<see cref="TrustedReplicas"/>, then the core's enter and the relay seam's one copy per replica),
/// are kept alive and split (<see cref="PrimaryKeepalive"/>, <see cref="ReplicaSplits"/>,
/// <see cref="ReplicaTraffic"/>), and resubmit what their users wrote during a split
/// (<see cref="Resubmission"/>). This class holds what they share and wires them before the core
/// handlers, so a replica's bounces and resubmissions are seen first.
/// </summary>
public sealed class DmucPrimary
{
    private readonly ConcurrentDictionary<Task, byte> _background = new();
    private readonly TimeProvider _clock;

    private DmucPrimary(MucService muc, Occupancy occupancy, ParticipantsAsOccupants faces, StanzaRouter router, DmucSettings settings, TimeProvider clock)
    {
        Muc = muc;
        Occupancy = occupancy;
        Faces = faces;
        Router = router;
        Settings = settings;
        _clock = clock;
        Splits = new ReplicaSplits(this);
        Keepalive = new PrimaryKeepalive(this);
        Traffic = new ReplicaTraffic(this);
    }

    public MucService Muc { get; }
    public Occupancy Occupancy { get; }
    public ParticipantsAsOccupants Faces { get; }
    public StanzaRouter Router { get; }
    public DmucSettings Settings { get; }
    public ReplicaRegistry Registry { get; } = new();
    public ReplicaSplits Splits { get; }
    public PrimaryKeepalive Keepalive { get; }
    public ReplicaTraffic Traffic { get; }
    public ILogger Logger => Muc.Logger;
    public DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>Wires the primary's handlers (before the core's) and its trust rule; returns it for the keepalive loop.</summary>
    public static DmucPrimary Wire(StanzaRouter router, MucService muc, Occupancy occupancy, ParticipantsAsOccupants faces, DmucSettings settings, TimeProvider clock)
    {
        var primary = new DmucPrimary(muc, occupancy, faces, router, settings, clock);
        muc.Relays.Add(new TrustedReplicas(settings, primary.Registry, muc));
        router.OnIqSet(Ns.Dmuc + "replicate", new Replication(primary).OnReplicateAsync);
        // A predicate that never matches: it only notes that a replica was heard from.
        router.OnMessage((_, _) => ValueTask.CompletedTask, primary.Traffic.NoteHeard);
        router.OnPresence((_, _) => ValueTask.CompletedTask, primary.Traffic.NoteHeard);
        router.OnMessage(primary.Traffic.OnBounceAsync, primary.Traffic.IsReplicaBounce);
        router.OnPresence(primary.Traffic.OnBounceAsync, primary.Traffic.IsReplicaBounce);
        var resubmission = new Resubmission(primary);
        router.OnMessage(resubmission.OnResubmissionAsync, resubmission.IsResubmission);
        if (settings.Replicas.Count > 0)
            Log.Trusting(muc.Logger, string.Join(", ", settings.Replicas.Select(r => $"{r.Domain} (for {r.Serves})")));
        return primary;
    }

    /// <summary>The registration a stanza from R or R/&lt;sid&gt; about a room belongs to, or null.</summary>
    public ReplicaRegistration? RegistrationOf(XElement stanza)
    {
        if (!stanza.TryGetFrom(out var from) || from.Local is null || Settings.Find(from.Domain) is null) return null;
        return Muc.FindRoom(stanza) is { } room ? Registry.Find(room, from.Bare) : null;
    }

    /// <summary>Sessions behind one replica in a room, with their occupants. Caller holds the room's Sync.</summary>
    public static List<(Occupant Occupant, Jid Session)> SessionsBehind(Room room, Jid replica) =>
        room.Occupants.SelectMany(o => o.Relayed.Where(r => r.Value.Relay.Address.Equals(replica)).Select(r => (o, r.Key))).ToList();

    /// <summary>Whether the replica's copy may carry real JIDs: the room shows them to all, or one of its users may see them (the seed's rule).</summary>
    public static bool ReplicaSeesJids(Room room, Jid replica) =>
        room.Config.JidsVisible || SessionsBehind(room, replica).Any(s => MucService.SeesJids(room, s.Occupant.BareJid));

    /// <summary>Runs an IQ round trip the dispatcher must not wait for, logging a failure.</summary>
    public void Background(string work, Jid replica, Func<Task> run)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await run();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.Failed(Logger, ex, work, replica.ToString());
            }
        });
        _background.TryAdd(task, 0);
        task.ContinueWith(t => _background.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Completes when the background work running now has finished (shutdown, tests).</summary>
    public Task BackgroundDone => Task.WhenAll(_background.Keys);

    /// <summary>XEP-0282 §netsplit detection: the servers' bounces, and service-unavailable for anything but a presence.</summary>
    public static bool MeansSplit(StanzaError error, StanzaKind bounced) => error.Condition switch
    {
        StanzaErrorCondition.RemoteServerNotFound or StanzaErrorCondition.RemoteServerTimeout => true,
        StanzaErrorCondition.ServiceUnavailable => bounced != StanzaKind.Presence,
        _ => false,
    };
}
