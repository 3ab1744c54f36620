namespace XmppGroupChat.Archive;

/// <summary>
/// The argument checks every engine makes before anything is queued, so that a bad call fails at
/// once, the same way on every engine, and never reaches a batch where it could fail others.
/// </summary>
internal static class ArchiveArguments
{
    public static void Append(string archive, MessageDraft message)
    {
        ArgumentException.ThrowIfNullOrEmpty(archive);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(message.SenderBareJid);
        ArgumentNullException.ThrowIfNull(message.Stanza);
    }

    public static void Query(string archive, ArchiveQuery query)
    {
        ArgumentException.ThrowIfNullOrEmpty(archive);
        ArgumentNullException.ThrowIfNull(query);
    }

    public static void Message(string archive, string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(archive);
        ArgumentException.ThrowIfNullOrEmpty(id);
    }

    public static void Room(RoomRecord room)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentException.ThrowIfNullOrEmpty(room.Jid);
        ArgumentNullException.ThrowIfNull(room.Config);
        ArgumentNullException.ThrowIfNull(room.Affiliations);
    }

    public static void Participant(string roomJid, ParticipantRecord participant)
    {
        ArgumentException.ThrowIfNullOrEmpty(roomJid);
        ArgumentNullException.ThrowIfNull(participant);
        ArgumentException.ThrowIfNullOrEmpty(participant.Id);
        ArgumentException.ThrowIfNullOrEmpty(participant.BareJid);
        ArgumentNullException.ThrowIfNull(participant.Subscriptions);
    }

    public static void Nick(string bareJid, string? nick)
    {
        ArgumentException.ThrowIfNullOrEmpty(bareJid);
        if (nick is not null)
            ArgumentException.ThrowIfNullOrWhiteSpace(nick);
    }

    public static void RelayEntry(RelayEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.Kind);
        ArgumentNullException.ThrowIfNull(entry.Key);
        ArgumentNullException.ThrowIfNull(entry.Value);
    }

    public static void RelayEntries(string room, string kind, IReadOnlyList<RelayEntry> entries)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries) RelayEntry(entry);
    }

    /// <summary>The room store's nick folding: the key nick uniqueness is decided on (see <see cref="SqliteRoomStoreSql.Fold"/>).</summary>
    public static string Fold(string nick) => nick.ToUpperInvariant();
}
