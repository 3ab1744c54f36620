using System.Xml.Linq;

namespace XmppGroupChat.Archive;

/// <summary>
/// Durable state a relay keeps for rooms hosted elsewhere (a DMUC2 replica's copy of a primary's
/// room): per room one state element, and keyed entries grouped by kind (for a replica: the room
/// roster, its local sessions, the messages still waiting for the primary), each an XML element.
/// Entries of a kind come back in the order they were first saved, so a queue keeps its order.
/// Writes return once durable, like every write of the archive.
/// </summary>
public interface IRelayRoomStore
{
    /// <summary>Every relayed room with its entries, to rebuild the relay's state at start-up.</summary>
    Task<IReadOnlyList<RelayRoomRecord>> LoadRelayRoomsAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces a room's state element; its entries are untouched.</summary>
    Task SaveRelayRoomAsync(string room, XElement state, CancellationToken cancellationToken = default);

    /// <summary>Removes a room and all its entries.</summary>
    Task DeleteRelayRoomAsync(string room, CancellationToken cancellationToken = default);

    /// <summary>Creates an entry at the end of its kind, or replaces its value in place.</summary>
    /// <exception cref="InvalidOperationException">(from the task) The room has not been saved.</exception>
    Task SaveRelayEntryAsync(string room, RelayEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Removes one entry; nothing happens when it is absent.</summary>
    Task DeleteRelayEntryAsync(string room, string kind, string key, CancellationToken cancellationToken = default);

    /// <summary>Replaces every entry of one kind at once (a resynchronised roster), in the order given.</summary>
    /// <exception cref="InvalidOperationException">(from the task) The room has not been saved.</exception>
    Task ReplaceRelayEntriesAsync(string room, string kind, IReadOnlyList<RelayEntry> entries, CancellationToken cancellationToken = default);
}

/// <summary>A relayed room as stored: its state element and its entries, each kind in the order first saved.</summary>
public sealed record RelayRoomRecord(string Room, XElement State, IReadOnlyList<RelayEntry> Entries);

/// <summary>
/// One keyed entry of a relayed room. <see cref="Value"/> comes back as saved, in the stored form of
/// <see cref="IMessageArchive"/> stanzas: no namespace declarations, jabber:client read back as jabber:component:accept.
/// </summary>
public sealed record RelayEntry(string Kind, string Key, XElement Value);
