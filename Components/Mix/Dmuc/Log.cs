using Microsoft.Extensions.Logging;

namespace XmppGroupChat.Mix.Dmuc;

/// <summary>The DMUC2 primary's log events, with stable ids (4101-4119).</summary>
internal static partial class Log
{
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
