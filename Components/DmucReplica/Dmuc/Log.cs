using Microsoft.Extensions.Logging;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>The replica's log events, with stable ids (60xx). Information is for state changes an admin cares about.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Replicating {Room} for local users as {Address} ({Occupants} occupants, {Messages} messages received)")]
    public static partial void Registered(ILogger logger, string room, string address, int occupants, int messages);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "The primary {Room} refused to be replicated here: {Condition} {Text}. Its admin must list this replica (Dmuc:Replicas) for it to work")]
    public static partial void Refused(ILogger logger, string room, string condition, string? text);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Netsplit: the primary {Room} is unreachable ({Reason}); {Sessions} local sessions go on locally, submissions wait")]
    public static partial void Split(ILogger logger, string room, string reason, int sessions);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Information, Message = "Netjoin with {Room}: {Missed} missed messages received, {Resubmitted} local messages resubmitted, {Confirmed} already at the primary")]
    public static partial void Netjoin(ILogger logger, string room, int missed, int resubmitted, int confirmed);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Information, Message = "No local users left in {Room}: the replica no longer holds it")]
    public static partial void Forgotten(ILogger logger, string room);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Information, Message = "Restored {Rooms} replicated rooms with {Sessions} local sessions and {Pending} pending messages; registering again")]
    public static partial void Restored(ILogger logger, int rooms, int sessions, int pending);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Error, Message = "{Work} for {Room} failed")]
    public static partial void Failed(ILogger logger, Exception exception, string work, string room);

    [LoggerMessage(EventId = 6008, Level = LogLevel.Debug, Message = "Dropped a copy of {Id} from {Room}: already held")]
    public static partial void Duplicate(ILogger logger, string id, string room);

    [LoggerMessage(EventId = 6009, Level = LogLevel.Warning, Message = "The primary {Room} refused this replica on registering again ({Condition}): the room is gone or the replica is no longer trusted; local users were told they are out")]
    public static partial void Dropped(ILogger logger, string room, string condition);
}
