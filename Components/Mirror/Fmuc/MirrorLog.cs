using Microsoft.Extensions.Logging;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>The mirror's log events, with stable ids (4001…). Per-room and per-stanza events are Debug.</summary>
internal static partial class MirrorLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "{Domain}: mirroring rooms for users of {Users}; fire-and-forget {FireAndForget} ({Overrides} room override(s)); {HistorySize} message(s) of local history per room; rooms self-pinged every {RoomCheckSeconds} s (0: never)")]
    public static partial void Configured(ILogger logger, string domain, string users, bool fireAndForget, int overrides, int historySize, int roomCheckSeconds);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "now mirroring {Room} as {Proxy} (fire-and-forget {FireAndForget})")]
    public static partial void RoomMirrored(ILogger logger, string room, string proxy, bool fireAndForget);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "no longer mirroring {Room}: its last local session is gone")]
    public static partial void RoomForgotten(ILogger logger, string room);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "{Room} refused {User}: <{Condition}/> {Text}")]
    public static partial void JoinRefused(ILogger logger, string room, string user, string condition, string? text);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Debug, Message = "a delivery to {User} from {Room} bounced (<{Condition}/>); left the room for that session")]
    public static partial void ClientGone(ILogger logger, string user, string room, string condition);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Debug, Message = "dropped {Kind} from {From} to {To}: {Reason}")]
    public static partial void Dropped(ILogger logger, string kind, string? from, string? to, string reason);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "{Service} speaks FMUC: {Fmuc} (joins name the real user only to an FMUC service)")]
    public static partial void MasterServiceKnown(ILogger logger, string service, bool fmuc);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Information, Message = "{Service} did not say what it speaks ({Reason}): treated as a plain MUC for {Minutes} min")]
    public static partial void MasterServiceUnknown(ILogger logger, string service, string reason, double minutes);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Error, Message = "sending the joins held for {Service} failed")]
    public static partial void ReleaseFailed(ILogger logger, Exception exception, string service);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "restored {Rooms} room(s) with {Sessions} local session(s); each session's presence goes upstream again once connected")]
    public static partial void Restored(ILogger logger, int rooms, int sessions);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "{Room} no longer knew {User} after the restart (<{Condition}/>); joined again for it, unseen by the user")]
    public static partial void Rejoined(ILogger logger, string room, string user, string condition);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Error, Message = "re-asserting the restored sessions failed")]
    public static partial void ReassertFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Information, Message = "{Room} no longer knew {User} (<{Condition}/>; the master restarted?); joining again for it, unseen by the user")]
    public static partial void MasterForgot(ILogger logger, string room, string user, string condition);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Error, Message = "a round of room checks failed")]
    public static partial void RoomCheckFailed(ILogger logger, Exception exception);
}
