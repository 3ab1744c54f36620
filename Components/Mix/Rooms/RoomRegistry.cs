using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Archive;
using XmppGroupChat.Concurrency;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Rooms;

/// <summary>
/// Every room the host serves, each with the executor that owns its state, backed by the durable
/// room store: each change is written before it is acknowledged, so a restart (even kill -9) finds
/// every room and participant.
/// An executor belongs to a room's name, not to the room: stanzas for a name that has no room yet
/// (the join that creates it, a message racing that join) queue on the same executor, so they keep
/// their order whoever creates the room. A name without a room keeps its executor only while work
/// for it is queued.
/// </summary>
public sealed class RoomRegistry(IRoomStore store, Jid mixDomain, WorkTracker tracker, ILogger logger)
{
    // Lookups read the map without locking; adding and removing names, and their pending counts, take
    // this gate for a dictionary operation at a time. It is never held around room work.
    private readonly object _slotsGate = new();
    private readonly ConcurrentDictionary<string, RoomSlot> _slots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Jid, string> _registeredNicks = new();

    public IRoomStore Store => store;
    public WorkTracker Work => tracker;

    /// <summary>Rooms are keyed by their MIX address; the MUC face names the same room on its own domain.</summary>
    public Jid MixDomain => mixDomain;

    /// <summary>A snapshot of the rooms that exist now.</summary>
    public IReadOnlyList<Room> Rooms
    {
        get => _slots.Values.Select(s => s.Room).OfType<Room>().ToList();
    }

    public async Task LoadAsync(CancellationToken ct)
    {
        var count = 0;
        var participants = 0;
        foreach (var record in await store.LoadRoomsAsync(ct))
        {
            var room = new Room(Jid.Parse(record.Jid), record.Created, new RoomConfig(record.Config)) { Subject = record.Subject };
            foreach (var (jid, affiliation) in record.Affiliations)
                if (Affiliations.TryParse(affiliation, out var a)) room.SetAffiliation(Jid.Parse(jid), a);
            foreach (var p in record.Participants)
                room.Add(new Participant(p.Id, Jid.Parse(p.BareJid), p.Nick, p.Subscriptions, p.Joined, p.Dialect) { ViaServer = p.ViaServer });
            lock (_slotsGate) _slots[room.Jid.Local!] = new RoomSlot(NewExecutor(room.Jid.Local!)) { Room = room };
            count++;
            participants += room.ParticipantCount;
        }
        foreach (var (jid, nick) in await store.LoadRegisteredNicksAsync(ct)) _registeredNicks[Jid.Parse(jid)] = nick;
        RoomHostLog.RoomsLoaded(logger, count, participants);
    }

    /// <summary>The room with this localpart on any face, if it exists.</summary>
    public Room? Find(string? localpart)
    {
        return localpart is null ? null : _slots.GetValueOrDefault(localpart)?.Room;
    }

    public Room? Find(Jid address) => Find(address.Local);

    /// <summary>
    /// Runs <paramref name="work"/> on the executor of the room named <paramref name="localpart"/>
    /// (whether or not that room exists yet), after the work queued for it already.
    /// </summary>
    public void Post(string localpart, Func<ValueTask> work)
    {
        var slot = Acquire(localpart);
        slot.Executor.Post(async () =>
        {
            try
            {
                await work();
            }
            finally
            {
                Release(localpart, slot);
            }
        });
    }

    /// <summary>Runs work on a room's executor from outside it (a timer, the service, another room) and waits for it.</summary>
    public Task<T> InvokeAsync<T>(Room room, Func<ValueTask<T>> work) => InvokeAsync(room.Jid.Local!, work);

    /// <summary>Runs work on the executor of a room name (existing or not yet) from outside it, and waits for it.</summary>
    public async Task<T> InvokeAsync<T>(string name, Func<ValueTask<T>> work)
    {
        var slot = Acquire(name);
        try
        {
            return await slot.Executor.InvokeAsync(work);
        }
        finally
        {
            Release(name, slot);
        }
    }

    public Task InvokeAsync(Room room, Func<ValueTask> work) => InvokeAsync(room, async () =>
    {
        await work();
        return true;
    });

    /// <summary>
    /// Creates and persists a room owned by <paramref name="owner"/>; null when the name is taken.
    /// Runs on the executor of <paramref name="roomJid"/>'s name (its caller is there already).
    /// </summary>
    public async Task<Room?> CreateAsync(Jid roomJid, Jid owner, RoomConfig config, CancellationToken ct)
    {
        var name = roomJid.Local!;
        var room = new Room(roomJid, DateTimeOffset.UtcNow, config);
        room.SetAffiliation(owner, Affiliation.Owner);
        lock (_slotsGate)
        {
            if (!_slots.TryGetValue(name, out var slot)) _slots[name] = slot = new RoomSlot(NewExecutor(name));
            if (slot.Room != null) return null;
            slot.Room = room;
        }
        try
        {
            await SaveRoomAsync(room, ct);
        }
        catch
        {
            Forget(room);
            throw;
        }
        return room;
    }

    /// <summary>Deletes a room the caller has marked removed (on its executor), with its participants; its archive is the caller's.</summary>
    public async Task DeleteAsync(Room room, CancellationToken ct)
    {
        await store.DeleteRoomAsync(room.Jid.ToString(), ct);
        Forget(room);
    }

    private void Forget(Room room)
    {
        var name = room.Jid.Local!;
        lock (_slotsGate)
        {
            if (!_slots.TryGetValue(name, out var slot) || slot.Room != room) return;
            slot.Room = null;
            if (slot.Pending == 0) _slots.TryRemove(name, out _);
        }
    }

    public Task SaveRoomAsync(Room room, CancellationToken ct) =>
        store.SaveRoomAsync(new RoomRecord(room.Jid.ToString(), room.Created, room.Config.Fields,
            room.Affiliations.ToDictionary(a => a.Key.ToString(), a => a.Value.ToXml()), room.Subject, []), ct);

    public Task SaveParticipantAsync(Room room, Participant p, CancellationToken ct) =>
        store.SaveParticipantAsync(room.Jid.ToString(),
            new ParticipantRecord(p.Id, p.BareJid.ToString(), p.Nick, p.Subscriptions.ToList(), p.Joined, p.Dialect.NamespaceName, p.ViaServer), ct);

    public Task DeleteParticipantAsync(Room room, Participant p, CancellationToken ct) =>
        store.DeleteParticipantAsync(room.Jid.ToString(), p.Id, ct);

    /// <summary>A participant id unused in this room (ids are random; this guards the theoretical clash).</summary>
    public static string NewParticipantId(Room room)
    {
        while (true)
        {
            var id = Ids.NewParticipantId();
            if (room.FindParticipantById(id) is null) return id;
        }
    }

    public string? RegisteredNick(Jid user) => _registeredNicks.GetValueOrDefault(user.Bare);

    /// <summary>The JID that registered <paramref name="nick"/> (case-insensitive), if any.</summary>
    public Jid? NickOwner(string nick) =>
        _registeredNicks.FirstOrDefault(kv => string.Equals(kv.Value, nick, StringComparison.OrdinalIgnoreCase)).Key;

    public async Task RegisterNickAsync(Jid user, string nick, CancellationToken ct)
    {
        await store.SaveRegisteredNickAsync(user.Bare.ToString(), nick, ct);
        _registeredNicks[user.Bare] = nick;
    }

    private RoomSlot Acquire(string name)
    {
        lock (_slotsGate)
        {
            if (!_slots.TryGetValue(name, out var slot)) _slots[name] = slot = new RoomSlot(NewExecutor(name));
            slot.Pending++;
            return slot;
        }
    }

    private void Release(string name, RoomSlot slot)
    {
        lock (_slotsGate)
        {
            slot.Pending--;
            if (slot.Pending == 0 && slot.Room is null && _slots.GetValueOrDefault(name) == slot) _slots.TryRemove(name, out _);
        }
    }

    private SerialExecutor NewExecutor(string name) => new(name, logger, tracker);

    private sealed class RoomSlot(SerialExecutor executor)
    {
        public SerialExecutor Executor { get; } = executor;
        private volatile Room? _room;

        public Room? Room
        {
            get => _room;
            set => _room = value;
        }
        public int Pending { get; set; }
    }
}
