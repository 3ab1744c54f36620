using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Dmuc;

/// <summary>
/// A replica registered with one room: its replica room R, what it asked for, and where it
/// stands (heard from when, split or not, whose presence was shown as netsplit). Changed on the
/// room's executor, except <see cref="LastHeard"/>, which the dispatcher notes as traffic arrives.
/// </summary>
public sealed class ReplicaRegistration(Room room, Jid address, TrustedReplica trusted)
{
    private long _lastHeardTicks;

    public Room Room { get; } = room;

    /// <summary>R, the replica's copy of the room (bare).</summary>
    public Jid Address { get; } = address;

    public TrustedReplica Trusted { get; } = trusted;
    /// <summary>When anything last came from the replica: one atomic value, written as stanzas arrive.</summary>
    public DateTimeOffset LastHeard
    {
        get => new(Volatile.Read(ref _lastHeardTicks), TimeSpan.Zero);
        set => Volatile.Write(ref _lastHeardTicks, value.UtcTicks);
    }

    public DateTimeOffset LastTried { get; set; }
    public bool Split { get; set; }
    public bool PingInFlight { get; set; }

    /// <summary>Occupants shown to the others as away because this replica split; restored at the netjoin.</summary>
    public HashSet<string> MarkedAway { get; } = new(StringComparer.Ordinal);
}
