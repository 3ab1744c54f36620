namespace XmppGroupChat.Archive;

/// <summary>The room store (IRoomStore): writes through the writer queue, so each completes after its commit.</summary>
public sealed partial class SqliteArchive
{
    public Task<IReadOnlyList<RoomRecord>> LoadRoomsAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return Task.FromResult(Read(SqliteRoomStoreSql.LoadRooms, cancellationToken));
        }
        catch (Exception e)
        {
            return Task.FromException<IReadOnlyList<RoomRecord>>(e);
        }
    }

    public Task SaveRoomAsync(RoomRecord room, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentException.ThrowIfNullOrEmpty(room.Jid);
        ArgumentNullException.ThrowIfNull(room.Config);
        ArgumentNullException.ThrowIfNull(room.Affiliations);
        return RunWriteAsync(writer => { SqliteRoomStoreSql.SaveRoom(writer, room); return true; }, cancellationToken);
    }

    /// <summary>Removes the room and its participants; its message history is <see cref="DeleteArchiveAsync"/>'s business.</summary>
    public Task DeleteRoomAsync(string roomJid, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(roomJid);
        return RunWriteAsync(writer => { SqliteRoomStoreSql.DeleteRoom(writer, roomJid); return true; }, cancellationToken);
    }

    /// <exception cref="InvalidOperationException">(from the task) The room has not been saved.</exception>
    public Task SaveParticipantAsync(string roomJid, ParticipantRecord participant, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(roomJid);
        ArgumentNullException.ThrowIfNull(participant);
        ArgumentException.ThrowIfNullOrEmpty(participant.Id);
        ArgumentException.ThrowIfNullOrEmpty(participant.BareJid);
        ArgumentNullException.ThrowIfNull(participant.Subscriptions);
        return RunWriteAsync(writer => { SqliteRoomStoreSql.SaveParticipant(writer, roomJid, participant); return true; }, cancellationToken);
    }

    public Task DeleteParticipantAsync(string roomJid, string participantId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(roomJid);
        ArgumentException.ThrowIfNullOrEmpty(participantId);
        return RunWriteAsync(writer => { SqliteRoomStoreSql.DeleteParticipant(writer, roomJid, participantId); return true; }, cancellationToken);
    }

    public Task<IReadOnlyDictionary<string, string>> LoadRegisteredNicksAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return Task.FromResult(Read(SqliteRoomStoreSql.LoadNicks, cancellationToken));
        }
        catch (Exception e)
        {
            return Task.FromException<IReadOnlyDictionary<string, string>>(e);
        }
    }

    /// <summary>Registers, changes (null: removes) <paramref name="bareJid"/>'s nick.</summary>
    /// <exception cref="NickTakenException">(from the task) Another JID has this nick, compared case-insensitively.</exception>
    public Task SaveRegisteredNickAsync(string bareJid, string? nick, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(bareJid);
        if (nick is not null)
            ArgumentException.ThrowIfNullOrWhiteSpace(nick);
        return RunWriteAsync(writer => { SqliteRoomStoreSql.SaveNick(writer, bareJid, nick); return true; }, cancellationToken);
    }
}
