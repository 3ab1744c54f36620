using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Component;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>
/// What every mirror concern shares: the link, the policy, the proxy rooms with local sessions,
/// and how a session's proxy JID is made. A room exists here from its first local join to its
/// last local session's end; then the mirror forgets it and the link carries nothing for it.
/// The state is touched by one thing at a time: the link's dispatch loop, one stanza after the
/// other, or a timer (<see cref="ExclusiveAsync"/> keeps the two apart).
/// </summary>
/// With a <see cref="MirrorStore"/>, each room and joined session is also kept on disk, so a
/// restarted mirror loses nobody (see <see cref="Reassertion"/>).
public sealed class MirrorService(IStanzaSender sender, MirrorSettings settings, SessionIds sessionIds, ILogger logger,
    TimeProvider? time = null, MirrorStore? store = null)
{
    private readonly Dictionary<Jid, ProxyRoom> _rooms = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    public IStanzaSender Sender => sender;
    public MirrorSettings Settings => settings;
    public ILogger Logger => logger;
    public Jid Domain => sender.Domain;
    public TimeProvider Time { get; } = time ?? TimeProvider.System;

    /// <summary>Runs <paramref name="work"/> on the mirror's state with nothing else touching it.</summary>
    public async ValueTask ExclusiveAsync(Func<ValueTask> work)
    {
        await _gate.WaitAsync();
        try
        {
            await work();
        }
        finally
        {
            _gate.Release();
        }
    }

    public int RoomCount => _rooms.Count;
    public IEnumerable<ProxyRoom> Rooms => _rooms.Values;

    public ProxyRoom? Find(Jid master) => _rooms.GetValueOrDefault(master);

    public ProxyRoom GetOrAdd(Jid master)
    {
        if (_rooms.TryGetValue(master, out var room)) return room;
        room = NewRoom(master);
        _rooms.Add(master, room);
        MirrorLog.RoomMirrored(logger, master.ToString(), room.Proxy.ToString(), room.FireAndForget);
        return room;
    }

    private ProxyRoom NewRoom(Jid master) =>
        new(master, ProxyAddress.Of(master, Domain), settings.FireAndForgetFor(master), settings.HistorySize);

    /// <summary>
    /// Rebuilds the rooms and sessions the mirror held when it stopped (before the link connects);
    /// returns what each room's service was known to speak, for <see cref="MasterServices"/>.
    /// </summary>
    public IReadOnlyList<MirrorStore.StoredRoom> Restore(IReadOnlyList<MirrorStore.StoredRoom> stored)
    {
        foreach (var record in stored)
        {
            var room = NewRoom(record.Master);
            room.StoredFmuc = record.Fmuc;
            room.Stored = true;
            room.HistoryGap = true;
            foreach (var session in record.Sessions) room.Add(MirrorStore.FromRecord(session, room));
            _rooms[record.Master] = room;
        }
        if (stored.Count > 0) MirrorLog.Restored(logger, stored.Count, stored.Sum(r => r.Sessions.Count));
        return stored;
    }

    /// <summary>Keeps a joined session (and its room) on disk; returns once durable.</summary>
    public async ValueTask SaveAsync(ProxyRoom room, ProxySession session, bool? fmuc, CancellationToken ct)
    {
        if (store is null) return;
        if (!room.Stored || (fmuc != null && fmuc != room.StoredFmuc))
        {
            var known = fmuc ?? room.StoredFmuc;
            await store.SaveRoomAsync(room, known, ct);
            room.Stored = true;
            room.StoredFmuc = known;
        }
        await store.SaveSessionAsync(room, session, ct);
    }

    /// <summary>Takes a session off the disk (it is leaving); the next start does not restore it.</summary>
    public async ValueTask UnsaveAsync(ProxyRoom room, ProxySession session, CancellationToken ct)
    {
        if (store is null || !room.Stored) return;
        await store.DeleteSessionAsync(room, session, ct);
    }

    /// <summary>A new session for <paramref name="local"/> in <paramref name="room"/>, with its proxy JID.</summary>
    public ProxySession NewSession(ProxyRoom room, Jid local, string nick) =>
        new(local, nick, room.Proxy.WithResource(sessionIds.For(local, room.Master)), room.NextJoinOrder());

    /// <summary>Forgets a session, and the room with its last one, here and on disk.</summary>
    public async ValueTask ForgetAsync(ProxyRoom room, ProxySession session, CancellationToken ct)
    {
        room.Remove(session);
        if (!room.IsEmpty || !_rooms.Remove(room.Master))
        {
            await UnsaveAsync(room, session, ct);
            return;
        }
        MirrorLog.RoomForgotten(logger, room.Master.ToString());
        if (store != null && room.Stored) await store.DeleteRoomAsync(room, ct);
        room.Stored = false;
    }

    /// <summary>Sends a stanza to a local user.</summary>
    public ValueTask DeliverAsync(XElement stanza, CancellationToken ct) => sender.SendAsync(stanza, ct);

    /// <summary>Sends a stanza to the master room.</summary>
    public ValueTask SendUpstreamAsync(XElement stanza, CancellationToken ct) => sender.SendAsync(stanza, ct);

    /// <summary>Child elements of a local user's stanza that travel upstream: never an FMUC element of the user's own making.</summary>
    public static IEnumerable<XElement> UserPayload(XElement stanza) =>
        stanza.Elements().Where(e => e.Name.Namespace != Ns.Fmuc);

    /// <summary>A new stanza of the same kind with the given addresses, the original's id and type, and <paramref name="children"/>.</summary>
    public static XElement Readdressed(XElement original, Jid from, Jid to, IEnumerable<XElement> children, string? id = null)
    {
        var copy = new XElement(original.Name, new XAttribute("from", from.ToString()), new XAttribute("to", to.ToString()));
        if ((id ?? original.GetId()) is { } i) copy.SetAttributeValue("id", i);
        if (original.GetStanzaType() is { } type) copy.SetAttributeValue("type", type);
        foreach (var attribute in original.Attributes().Where(a => a.Name == XNamespace.Xml + "lang")) copy.Add(new XAttribute(attribute));
        foreach (var child in children) copy.Add(new XElement(child));
        return copy;
    }
}
