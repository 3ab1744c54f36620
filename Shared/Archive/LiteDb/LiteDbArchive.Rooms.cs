using System.Xml.Linq;

namespace XmppGroupChat.Archive;

/// <summary>The room store (IRoomStore) and the relay store (IRelayRoomStore): writes through the writer queue, so each completes after its commit.</summary>
public sealed partial class LiteDbArchive
{
    public Task<IReadOnlyList<RoomRecord>> LoadRoomsAsync(CancellationToken cancellationToken = default) =>
        Read(LiteDbRoomDocuments.LoadRooms, cancellationToken);

    public Task SaveRoomAsync(RoomRecord room, CancellationToken cancellationToken = default)
    {
        ArchiveArguments.Room(room);
        return RunWriteAsync(writer => { LiteDbRoomDocuments.SaveRoom(writer.Engine, room); return true; }, cancellationToken);
    }

    /// <summary>Removes the room and its participants; its message history is <see cref="DeleteArchiveAsync"/>'s business.</summary>
    public Task DeleteRoomAsync(string roomJid, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(roomJid);
        return RunWriteAsync(writer => { LiteDbRoomDocuments.DeleteRoom(writer.Engine, roomJid); return true; }, cancellationToken);
    }

    public Task SaveParticipantAsync(string roomJid, ParticipantRecord participant, CancellationToken cancellationToken = default)
    {
        ArchiveArguments.Participant(roomJid, participant);
        return RunWriteAsync(writer => { LiteDbRoomDocuments.SaveParticipant(writer.Engine, roomJid, participant); return true; }, cancellationToken);
    }

    public Task DeleteParticipantAsync(string roomJid, string participantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(roomJid);
        ArgumentException.ThrowIfNullOrEmpty(participantId);
        return RunWriteAsync(writer => { LiteDbRoomDocuments.DeleteParticipant(writer.Engine, roomJid, participantId); return true; }, cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, string>> LoadRegisteredNicksAsync(CancellationToken cancellationToken = default) =>
        Read(LiteDbRoomDocuments.LoadNicks, cancellationToken);

    public Task SaveRegisteredNickAsync(string bareJid, string? nick, CancellationToken cancellationToken = default)
    {
        ArchiveArguments.Nick(bareJid, nick);
        return RunWriteAsync(writer => { LiteDbRoomDocuments.SaveNick(writer.Engine, bareJid, nick); return true; }, cancellationToken);
    }

    public Task<IReadOnlyList<RelayRoomRecord>> LoadRelayRoomsAsync(CancellationToken cancellationToken = default) =>
        Read(LiteDbRelayDocuments.LoadRooms, cancellationToken);

    public Task SaveRelayRoomAsync(string room, XElement state, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        ArgumentNullException.ThrowIfNull(state);
        var copy = new XElement(state); // the caller may change its element once this returns
        return RunWriteAsync(writer => { LiteDbRelayDocuments.SaveRoom(writer.Engine, room, copy); return true; }, cancellationToken);
    }

    public Task DeleteRelayRoomAsync(string room, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        return RunWriteAsync(writer => { LiteDbRelayDocuments.DeleteRoom(writer.Engine, room); return true; }, cancellationToken);
    }

    public Task SaveRelayEntryAsync(string room, RelayEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        ArchiveArguments.RelayEntry(entry);
        var copy = entry with { Value = new XElement(entry.Value) };
        return RunWriteAsync(writer => { LiteDbRelayDocuments.SaveEntry(writer.Engine, room, copy); return true; }, cancellationToken);
    }

    public Task DeleteRelayEntryAsync(string room, string kind, string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(key);
        return RunWriteAsync(writer => { LiteDbRelayDocuments.DeleteEntry(writer.Engine, room, kind, key); return true; }, cancellationToken);
    }

    public Task ReplaceRelayEntriesAsync(string room, string kind, IReadOnlyList<RelayEntry> entries, CancellationToken cancellationToken = default)
    {
        ArchiveArguments.RelayEntries(room, kind, entries);
        var copies = entries.Select(e => e with { Value = new XElement(e.Value) }).ToList();
        return RunWriteAsync(writer => { LiteDbRelayDocuments.ReplaceEntries(writer.Engine, room, kind, copies); return true; }, cancellationToken);
    }
}
