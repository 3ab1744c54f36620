using System.Xml.Linq;
using XmppGroupChat.Archive;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>
/// What the replica keeps across restarts, in its archive file: per room (keyed by the primary room
/// JID) the state (subject, anonymity), the room roster, the local sessions and the pending messages
/// (<see cref="IRelayRoomStore"/>), and the history (<see cref="IMessageArchive"/>, one archive per
/// room, each message as the primary sent it, with the primary's stanza-id and its dmuc delay).
/// </summary>
public sealed class ReplicaStore(IRelayRoomStore relay, IMessageArchive archive)
{
    private const string OccupantKind = "occupant";
    private const string SessionKind = "session";
    private const string PendingKind = "pending";

    public Task SaveRoomAsync(ReplicatedRoom room, CancellationToken ct) =>
        relay.SaveRelayRoomAsync(room.Primary.ToString(), room.StateRecord(), ct);

    public Task SaveOccupantAsync(ReplicatedRoom room, RosterEntry entry, CancellationToken ct) =>
        relay.SaveRelayEntryAsync(room.Primary.ToString(), new RelayEntry(OccupantKind, entry.Nick, entry.Presence), ct);

    public Task DeleteOccupantAsync(ReplicatedRoom room, string nick, CancellationToken ct) =>
        relay.DeleteRelayEntryAsync(room.Primary.ToString(), OccupantKind, nick, ct);

    public Task SaveRosterAsync(ReplicatedRoom room, CancellationToken ct) =>
        relay.ReplaceRelayEntriesAsync(room.Primary.ToString(), OccupantKind,
            room.Roster.Values.Select(e => new RelayEntry(OccupantKind, e.Nick, e.Presence)).ToList(), ct);

    public Task SaveSessionAsync(ReplicatedRoom room, LocalSession session, CancellationToken ct) =>
        relay.SaveRelayEntryAsync(room.Primary.ToString(), new RelayEntry(SessionKind, session.User.ToString(), session.ToRecord()), ct);

    public Task DeleteSessionAsync(ReplicatedRoom room, LocalSession session, CancellationToken ct) =>
        relay.DeleteRelayEntryAsync(room.Primary.ToString(), SessionKind, session.User.ToString(), ct);

    public Task SavePendingAsync(ReplicatedRoom room, PendingMessage pending, CancellationToken ct) =>
        relay.SaveRelayEntryAsync(room.Primary.ToString(), new RelayEntry(PendingKind, PendingKey(pending), pending.ToRecord()), ct);

    public Task DeletePendingAsync(ReplicatedRoom room, PendingMessage pending, CancellationToken ct) =>
        relay.DeleteRelayEntryAsync(room.Primary.ToString(), PendingKind, PendingKey(pending), ct);

    /// <summary>Adds a message of the primary's to the room's history, as received but for its 'to'.</summary>
    public async Task RecordAsync(ReplicatedRoom room, XElement message, CancellationToken ct)
    {
        var stored = new XElement(message);
        stored.SetAttributeValue("to", null);
        var from = (string?)message.Attribute("from") ?? room.Primary.ToString();
        Jid.TryParse(from, out var sender);
        await archive.AppendAsync(room.Primary.ToString(), new MessageDraft(from, sender?.Resource, stored), ct);
    }

    /// <summary>The newest <paramref name="max"/> messages of the room's history, oldest first.</summary>
    public async Task<IReadOnlyList<XElement>> HistoryAsync(ReplicatedRoom room, int max, CancellationToken ct)
    {
        if (max <= 0) return [];
        var page = await archive.QueryAsync(room.Primary.ToString(), new ArchiveQuery(Before: "", Max: max), ct);
        return page.Messages.Where(m => !m.Retracted).Select(m => m.Stanza).ToList();
    }

    /// <summary>Drops everything about the room (its last local user left, or the primary refused it).</summary>
    public async Task ForgetAsync(ReplicatedRoom room, CancellationToken ct)
    {
        await relay.DeleteRelayRoomAsync(room.Primary.ToString(), ct);
        await archive.DeleteArchiveAsync(room.Primary.ToString(), ct);
    }

    /// <summary>Every room the replica held when it stopped, as it held it.</summary>
    public async Task<List<ReplicatedRoom>> LoadAsync(ReplicaAddress addresses, CancellationToken ct)
    {
        var rooms = new List<ReplicatedRoom>();
        foreach (var record in await relay.LoadRelayRoomsAsync(ct))
        {
            var primary = Jid.Parse(record.Room);
            var room = new ReplicatedRoom(primary, addresses.RoomOf(primary))
            {
                NonAnonymous = (string?)record.State.Attribute("non-anonymous") == "true",
                Subject = record.State.Element(Ns.Dmuc + "subject")?.Elements().FirstOrDefault(),
            };
            foreach (var entry in record.Entries)
            {
                switch (entry.Kind)
                {
                    case OccupantKind: room.Roster[entry.Key] = new RosterEntry(entry.Key, entry.Value); break;
                    case SessionKind:
                        var session = LocalSession.FromRecord(entry.Value);
                        room.Sessions[session.User] = session;
                        break;
                    case PendingKind: room.Pending.Add(PendingMessage.FromRecord(entry.Value)); break;
                }
            }
            var tail = await archive.QueryAsync(record.Room, new ArchiveQuery(Before: "", Max: ReplicatedRoom.RecentIdCapacity), ct);
            foreach (var m in tail.Messages)
            {
                if (PrimaryId(m.Stanza, primary) is not { } id) continue;
                room.Known.Add(id);
                room.LastId = id;
            }
            rooms.Add(room);
        }
        return rooms;
    }

    /// <summary>The id the primary gave a message (its stanza-id by the primary room), or null.</summary>
    public static string? PrimaryId(XElement message, Jid primary) => message.Elements(Ns.StanzaId + "stanza-id")
        .Where(s => Jid.TryParse((string?)s.Attribute("by"), out var by) && by.Equals(primary.Bare))
        .Select(s => (string?)s.Attribute("id")).FirstOrDefault();

    private static string PendingKey(PendingMessage p) => p.Sid + " " + p.OriginId;
}
