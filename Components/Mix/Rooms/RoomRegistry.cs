using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Archive;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Rooms;

/// <summary>
/// Every room the host serves, in memory, backed by the durable room store: each change is
/// written before it is acknowledged, so a restart (even kill -9) finds every room and participant.
/// </summary>
public sealed class RoomRegistry(IRoomStore store, ILogger<RoomRegistry> logger)
{
    private readonly ConcurrentDictionary<string, Room> _rooms = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Jid, string> _registeredNicks = new();

    public IEnumerable<Room> Rooms => _rooms.Values;
    public IRoomStore Store => store;

    public async Task LoadAsync(CancellationToken ct)
    {
        foreach (var record in await store.LoadRoomsAsync(ct))
        {
            var room = new Room(Jid.Parse(record.Jid), record.Created, new RoomConfig(record.Config)) { Subject = record.Subject };
            foreach (var (jid, affiliation) in record.Affiliations) room.Affiliations[Jid.Parse(jid)] = affiliation;
            foreach (var p in record.Participants)
                room.Add(new Participant(p.Id, Jid.Parse(p.BareJid), p.Nick, p.Subscriptions, p.Joined, p.Dialect) { ViaServer = p.ViaServer });
            _rooms[room.Jid.Local!] = room;
        }
        foreach (var (jid, nick) in await store.LoadRegisteredNicksAsync(ct)) _registeredNicks[Jid.Parse(jid)] = nick;
        XmppGroupChat.Mix.Log.RoomsLoaded(logger, _rooms.Count, _rooms.Values.Sum(r => r.ParticipantCount));
    }

    public Room? Find(Jid roomJid) => roomJid.Local is { } local ? _rooms.GetValueOrDefault(local) : null;

    public bool Exists(string localpart) => _rooms.ContainsKey(localpart);

    /// <summary>Creates and persists a room owned by <paramref name="owner"/>; null when the name is taken.</summary>
    public async Task<Room?> CreateAsync(Jid roomJid, Jid owner, RoomConfig config, CancellationToken ct)
    {
        var room = new Room(roomJid, DateTimeOffset.UtcNow, config);
        room.Affiliations[owner.Bare] = "owner";
        if (!_rooms.TryAdd(roomJid.Local!, room)) return null;
        try
        {
            await SaveRoomAsync(room, ct);
        }
        catch
        {
            _rooms.TryRemove(roomJid.Local!, out _);
            throw;
        }
        return room;
    }

    public async Task DestroyAsync(Room room, CancellationToken ct)
    {
        await store.DeleteRoomAsync(room.Jid.ToString(), ct);
        _rooms.TryRemove(room.Jid.Local!, out _);
    }

    public Task SaveRoomAsync(Room room, CancellationToken ct)
    {
        RoomRecord record;
        lock (room.Sync)
        {
            record = new RoomRecord(room.Jid.ToString(), room.Created, room.Config.Fields,
                room.Affiliations.ToDictionary(a => a.Key.ToString(), a => a.Value), room.Subject, []);
        }
        return store.SaveRoomAsync(record, ct);
    }

    public Task SaveParticipantAsync(Room room, Participant p, CancellationToken ct)
    {
        ParticipantRecord record;
        lock (room.Sync)
            record = new ParticipantRecord(p.Id, p.BareJid.ToString(), p.Nick, p.Subscriptions.ToList(), p.Joined, p.Dialect.NamespaceName, p.ViaServer);
        return store.SaveParticipantAsync(room.Jid.ToString(), record, ct);
    }

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
}
