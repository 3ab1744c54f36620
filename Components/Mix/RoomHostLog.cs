using Microsoft.Extensions.Logging;

namespace XmppGroupChat.Mix;

/// <summary>
/// The room host's log events, with stable ids: 4101-4119 the DMUC2 primary, 4501-4599 the rooms and
/// faces (the mirror uses 4001-4099, the replica 6001-6099, Shared 1001-3999). The one log class of the program.
/// </summary>
internal static partial class RoomHostLog
{
    [LoggerMessage(EventId = 4501, Level = LogLevel.Information, Message = "FMUC: trusting mirrors {Domains} to vouch for their users")]
    public static partial void TrustingMirrors(ILogger logger, string domains);

    [LoggerMessage(EventId = 4502, Level = LogLevel.Information, Message = "{Relay} answered {Room} with an error: its {Sessions} session(s) left the room")]
    public static partial void RelayGone(ILogger logger, string relay, string room, int sessions);

    [LoggerMessage(EventId = 4503, Level = LogLevel.Warning, Message = "FMUC: refused a join from mirror {Mirror} for {User}: the mirror serves {Serves} only")]
    public static partial void MirrorOverreach(ILogger logger, string mirror, string user, string serves);

    [LoggerMessage(EventId = 4504, Level = LogLevel.Information, Message = "Loaded {Rooms} room(s) with {Participants} participant(s)")]
    public static partial void RoomsLoaded(ILogger logger, int rooms, int participants);

    [LoggerMessage(EventId = 4505, Level = LogLevel.Debug, Message = "FMUC join from {Mirror}, which is not a trusted mirror: treated as an ordinary occupant")]
    public static partial void UntrustedMirror(ILogger logger, string mirror);

    [LoggerMessage(EventId = 4506, Level = LogLevel.Error, Message = "archiving a message from {From} failed; it was not delivered")]
    public static partial void ArchivingFailed(ILogger logger, Exception exception, string? from);

    [LoggerMessage(EventId = 4507, Level = LogLevel.Error, Message = "fan-out of archived message {Id} failed")]
    public static partial void FanoutFailed(ILogger logger, Exception exception, string id);

    [LoggerMessage(EventId = 4508, Level = LogLevel.Error, Message = "could not tell {From} that their message was not delivered")]
    public static partial void BounceFailed(ILogger logger, Exception exception, string? from);

    // ---- DMUC2 primary ----

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "DMUC2: trusting replicas {Replicas}")]
    public static partial void Trusting(ILogger logger, string replicas);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "DMUC2: {Replica} replicates {Room} ({Sessions} sessions restored, {Removed} removed, {Messages} messages sent)")]
    public static partial void Registered(ILogger logger, string replica, string room, int sessions, int removed, int messages);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "DMUC2: refused {What} from {From}: {Reason}")]
    public static partial void Refused(ILogger logger, string what, string from, string reason);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "DMUC2: netsplit from replica {Replica} of {Room} ({Reason}); no broadcasts to it until it registers again")]
    public static partial void Split(ILogger logger, string replica, string room, string reason);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Information, Message = "DMUC2: replica {Replica} no longer holds {Room}; its {Sessions} sessions left the room")]
    public static partial void Dropped(ILogger logger, string replica, string room, int sessions);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Error, Message = "DMUC2: {Work} for {Replica} failed")]
    public static partial void Failed(ILogger logger, Exception exception, string work, string replica);
}
