using System.Xml.Linq;

namespace XmppGroupChat.Archive;

/// <summary>
/// The message history of rooms (MAM, XEP-0313). One archive per room, named by the room's bare
/// JID. The embedded default is SQLite; a server database can implement this later.
/// </summary>
public interface IMessageArchive
{
    /// <summary>
    /// Stores a message and returns once it is durable (group commit: many appends share one
    /// transaction). The returned id is the archive id (used as stanza-id and MAM result id).
    /// </summary>
    ValueTask<ArchivedMessage> AppendAsync(string archive, MessageDraft message, CancellationToken cancellationToken = default);

    /// <summary>One page of a MAM query, in chronological order.</summary>
    Task<ArchivePage> QueryAsync(string archive, ArchiveQuery query, CancellationToken cancellationToken = default);

    /// <summary>One message by its archive id (a tombstone if retracted); null when this archive has no such id.</summary>
    Task<ArchivedMessage?> GetAsync(string archive, string id, CancellationToken cancellationToken = default);

    /// <summary>Marks a message retracted (XEP-0424 / MIX-MISC): its payload is replaced by a tombstone. False if absent.</summary>
    Task<bool> RetractAsync(string archive, string id, CancellationToken cancellationToken = default);

    /// <summary>Removes a room's whole history (room destroyed).</summary>
    Task DeleteArchiveAsync(string archive, CancellationToken cancellationToken = default);
}

/// <summary>A message to archive: who sent it (bare JID, for MAM's 'with'), and the stanza as the room reflects it.</summary>
public sealed record MessageDraft(string SenderBareJid, string? SenderNick, XElement Stanza);

/// <summary>A stored message. <see cref="Stanza"/> is a copy; callers may modify it.</summary>
public sealed record ArchivedMessage(string Id, DateTimeOffset Stamp, string SenderBareJid, string? SenderNick, XElement Stanza, bool Retracted = false);

/// <summary>
/// A MAM query: optional time range and 'with' (a bare JID: messages from that sender), then
/// RSM paging: <see cref="After"/> / <see cref="Before"/> ids; <see cref="Before"/> == "" means the last page.
/// </summary>
public sealed record ArchiveQuery(
    DateTimeOffset? Start = null,
    DateTimeOffset? End = null,
    string? With = null,
    string? After = null,
    string? Before = null,
    int Max = 50);

/// <summary>
/// A page: <see cref="Complete"/> is true when it reaches the end of the result set in the
/// paging direction (XEP-0313 'complete'). <see cref="Count"/> is the size of the whole result set.
/// </summary>
public sealed record ArchivePage(IReadOnlyList<ArchivedMessage> Messages, bool Complete, int Count, int? FirstIndex);

/// <summary>An RSM after/before id that is not in the archive: MAM answers item-not-found.</summary>
public sealed class ArchiveItemNotFoundException(string id) : Exception($"no archived message with id '{id}'")
{
    public string Id { get; } = id;
}
