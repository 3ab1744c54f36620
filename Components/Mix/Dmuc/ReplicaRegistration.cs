using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Dmuc;

/// <summary>
/// A replica registered with one room: its replica room R, what it asked for, and where it
/// stands (heard from when, split or not, whose presence was shown as netsplit). Guarded by the room's Sync.
/// </summary>
public sealed class ReplicaRegistration(Room room, Jid address, TrustedReplica trusted)
{
    public Room Room { get; } = room;

    /// <summary>R, the replica's copy of the room (bare).</summary>
    public Jid Address { get; } = address;

    public TrustedReplica Trusted { get; } = trusted;
    public DateTimeOffset LastHeard { get; set; }
    public DateTimeOffset LastTried { get; set; }
    public bool Split { get; set; }
    public bool PingInFlight { get; set; }

    /// <summary>Occupants shown to the others as away because this replica split; restored at the netjoin.</summary>
    public HashSet<string> MarkedAway { get; } = new(StringComparer.Ordinal);
}
