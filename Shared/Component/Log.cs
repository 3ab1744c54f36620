using Microsoft.Extensions.Logging;

namespace XmppGroupChat.Component;

/// <summary>
/// The link's log events, with stable ids an admin can filter and alert on.
/// Information is for state changes only; per-stanza detail stays at Debug.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Connected to {Host}:{Port} as {Domain}")]
    public static partial void Connected(ILogger logger, string host, int port, string domain);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "{Domain}: connection lost: {Reason}")]
    public static partial void Disconnected(ILogger logger, string domain, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "{Domain}: cannot connect to {Host}:{Port} ({Reason}); attempt {Attempt}, next in {DelaySeconds:0.0} s")]
    public static partial void Reconnecting(ILogger logger, string domain, string host, int port, string reason, int attempt, double delaySeconds);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Critical, Message = "{Domain}: configuration error: {Reason}")]
    public static partial void ConfigurationError(ILogger logger, string domain, string reason);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "{Domain}: closing the stream with <{Condition}/>: {Reason}")]
    public static partial void StreamViolation(ILogger logger, string domain, string condition, string reason);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "{Domain}: stream closed")]
    public static partial void Closed(ILogger logger, string domain);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "{Domain}: {Count} stanza(s) whose write failed will be sent again after reconnecting")]
    public static partial void Requeued(ILogger logger, string domain, int count);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Trace, Message = "{Domain} <<< {Stanza}")]
    public static partial void Received(ILogger logger, string domain, string stanza);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "{Domain}: the server sends stanzas for {Other} over this connection; they are handed to the {Other} link. Give each domain its own component listener (ejabberd: one ejabberd_service entry per domain) so one room's traffic stays on one connection")]
    public static partial void MisroutedDomain(ILogger logger, string domain, string other);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Error, Message = "{Domain}: the server sends stanzas for {Other}, which this program does not serve, over this connection; its users' requests, messages and joins are answered with service-unavailable from {Other}, so nothing reaches the program that serves it. Give each program its own component listener (ejabberd: one ejabberd_service entry per domain)")]
    public static partial void ForeignDomain(ILogger logger, string domain, string other);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "{Domain}: reconnecting after a lost session in {DelaySeconds:0.0} s")]
    public static partial void ReconnectingAfterLoss(ILogger logger, string domain, double delaySeconds);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "{Domain}: rejected {Kind} from {From}: <{Condition}/> {Reason}")]
    public static partial void Rejected(ILogger logger, string domain, string kind, string? from, string condition, string? reason);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "{Domain}: refused {Kind} from {From}: <{Condition}/> {Reason}")]
    public static partial void Refused(ILogger logger, string domain, string kind, string? from, string condition, string? reason);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Error, Message = "{Domain}: handler failed on {Kind} from {From}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string domain, string kind, string? from);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "{Domain}: dropped {Kind} that cannot be answered: {Reason}")]
    public static partial void Unanswerable(ILogger logger, string domain, string kind, string reason);
}
