namespace XmppGroupChat.Archive;

/// <summary>
/// Durable room state: every channel, its configuration, affiliations, participants and their
/// subscriptions, and the service's registered nicks. Writes return once durable, so a kill -9
/// right after an acknowledged change loses nothing.
/// </summary>
public interface IRoomStore
{
    /// <summary>Everything, to rebuild the in-memory state at start-up.</summary>
    Task<IReadOnlyList<RoomRecord>> LoadRoomsAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces a room's own row (configuration, affiliations, subject), not its participants.</summary>
    Task SaveRoomAsync(RoomRecord room, CancellationToken cancellationToken = default);

    /// <summary>Removes a room and its participants.</summary>
    Task DeleteRoomAsync(string roomJid, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces one participant of a room.</summary>
    Task SaveParticipantAsync(string roomJid, ParticipantRecord participant, CancellationToken cancellationToken = default);

    Task DeleteParticipantAsync(string roomJid, string participantId, CancellationToken cancellationToken = default);

    /// <summary>Service-wide nick registrations (MIX-MISC / the seed's &lt;register/&gt;): bare JID → nick.</summary>
    Task<IReadOnlyDictionary<string, string>> LoadRegisteredNicksAsync(CancellationToken cancellationToken = default);

    Task SaveRegisteredNickAsync(string bareJid, string? nick, CancellationToken cancellationToken = default);
}

/// <summary>
/// A room as stored. <see cref="Config"/> holds the configuration as field var → values (the
/// room's config form), so room features can add fields without a schema change.
/// </summary>
public sealed record RoomRecord(
    string Jid,
    DateTimeOffset Created,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Config,
    IReadOnlyDictionary<string, string> Affiliations,
    string? Subject,
    IReadOnlyList<ParticipantRecord> Participants);

/// <summary>
/// A MIX participant: the stable participant id (never reused), the real bare JID, the nick, the
/// subscribed nodes, when it joined, and the protocol namespace it joined with (its notifications
/// follow that dialect: urn:xmpp:mix:0, urn:xmpp:mix:core:0 or urn:xmpp:mix:core:1), and whether
/// it joined through its own server (XEP-0405 MIX-PAM), so the channel addresses it by bare JID.
/// </summary>
public sealed record ParticipantRecord(
    string Id,
    string BareJid,
    string? Nick,
    IReadOnlyList<string> Subscriptions,
    DateTimeOffset Joined,
    string Dialect = "urn:xmpp:mix:core:1",
    bool ViaServer = false);
