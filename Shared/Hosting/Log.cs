using Microsoft.Extensions.Logging;

namespace XmppGroupChat.Hosting;

/// <summary>Start-up log events, with stable ids (the link's own events are 1001-1199).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Data directory: {Path}")]
    public static partial void DataDirectory(ILogger logger, string path);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "{Domain}: connecting to {Host}:{Port}")]
    public static partial void Starting(ILogger logger, string domain, string host, int port);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Critical, Message = "configuration error: {Reason}")]
    public static partial void ConfigurationError(ILogger logger, string reason);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Critical, Message = "start-up failed")]
    public static partial void StartupFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Critical, Message = "{Domain}: link failed")]
    public static partial void LinkFailed(ILogger logger, Exception exception, string domain);
}
