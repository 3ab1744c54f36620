using Microsoft.Extensions.Logging;

namespace XmppGroupChat.Mix;

/// <summary>The room host's own log events, with stable ids (4501-4599; the mirror uses 4001-4099, Shared 1001-3999).</summary>
internal static partial class Log
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
}
