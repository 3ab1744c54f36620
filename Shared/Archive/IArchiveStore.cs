namespace XmppGroupChat.Archive;

/// <summary>
/// One opened archive: the message history, the room store and the relay store together, as every
/// engine keeps them in one place (a file, or one PostgreSQL database). <see cref="ArchiveEngines.OpenAsync"/>
/// opens one. Disposing lets queued writes commit, then closes it.
/// </summary>
public interface IArchiveStore : IMessageArchive, IRoomStore, IRelayRoomStore, IAsyncDisposable
{
    ArchiveEngine Engine { get; }

    /// <summary>Where it is, for logs: a file path, or the server and database (never a password).</summary>
    string Location { get; }

    /// <summary>Committed batches and writes since open (group commit's mean batch size).</summary>
    ArchiveWriteStats WriteStats { get; }
}

/// <summary>The storage engines an archive can live in (<c>Storage:Engine</c>).</summary>
public enum ArchiveEngine
{
    /// <summary>One LiteDB file (<c>archive.litedb</c>) under Storage:Path.</summary>
    LiteDb,

    /// <summary>One SQLite file (<c>archive.db</c>) under Storage:Path.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database (<c>Storage:ConnectionString</c>), which several machines can share.</summary>
    PostgreSql,
}

/// <summary>An engine whose writes go through a <see cref="GroupCommitQueue"/> (all of them): tests hold its writer with it.</summary>
internal interface IGroupCommitted
{
    GroupCommitQueue Writes { get; }
}

/// <summary>What copying a whole archive to another engine needs beyond the public interfaces (<see cref="ArchiveCopier"/>).</summary>
internal interface IArchiveTransfer
{
    /// <summary>The names of every archive that holds at least one message.</summary>
    Task<IReadOnlyList<string>> ListArchivesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores already-archived messages as they are (ids, stamps, senders, tombstones) at the end of
    /// <paramref name="archive"/>, in one commit. <paramref name="firstPosition"/> must be the number of
    /// messages the archive holds, so a copy that raced with another writer fails instead of leaving a gap or a double.
    /// </summary>
    Task ImportMessagesAsync(string archive, long firstPosition, IReadOnlyList<ArchivedMessage> messages, CancellationToken cancellationToken);
}
