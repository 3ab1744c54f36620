using System.Collections.Concurrent;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>The rooms this replica holds, by the primary room's bare JID.</summary>
public sealed class ReplicaRooms
{
    private readonly ConcurrentDictionary<Jid, ReplicatedRoom> _rooms = new();

    public ReplicatedRoom? Find(Jid primary) => _rooms.TryGetValue(primary.Bare, out var room) ? room : null;

    public ReplicatedRoom GetOrAdd(Jid primary, Func<ReplicatedRoom> create) => _rooms.GetOrAdd(primary.Bare, _ => create());

    public void Add(ReplicatedRoom room) => _rooms[room.Primary] = room;

    /// <summary>Removes the room if it is still this instance (a room forgotten and entered again is a new one).</summary>
    public bool Remove(ReplicatedRoom room) => _rooms.TryRemove(new KeyValuePair<Jid, ReplicatedRoom>(room.Primary, room));

    public IReadOnlyList<ReplicatedRoom> All => _rooms.Values.ToList();
}
