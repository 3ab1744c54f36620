using System.Collections.Concurrent;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Dmuc;

/// <summary>Every replica registration, by room and replica room address. Registrations live with the process (like occupants).</summary>
public sealed class ReplicaRegistry
{
    private readonly ConcurrentDictionary<(Jid Room, Jid Address), ReplicaRegistration> _all = new();

    public ReplicaRegistration? Find(Room room, Jid address) => _all.GetValueOrDefault((room.Jid, address.Bare));

    public ReplicaRegistration GetOrAdd(Room room, Jid address, TrustedReplica trusted) =>
        _all.GetOrAdd((room.Jid, address.Bare), _ => new ReplicaRegistration(room, address.Bare, trusted));

    public bool Remove(ReplicaRegistration registration) =>
        _all.TryRemove(new KeyValuePair<(Jid, Jid), ReplicaRegistration>((registration.Room.Jid, registration.Address), registration));

    public IReadOnlyList<ReplicaRegistration> All => _all.Values.ToList();
}
