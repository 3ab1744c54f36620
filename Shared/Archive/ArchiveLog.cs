using Microsoft.Extensions.Logging;

namespace XmppGroupChat.Archive;

/// <summary>The archive's log events, with stable ids (3001…) an admin can filter and alert on.</summary>
internal static partial class ArchiveLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Archive {Path} open (schema {Version}, synchronous={Synchronous})")]
    public static partial void Opened(ILogger logger, string path, int version, string synchronous);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Archive {Path}: schema migrated from version {From} to {To}")]
    public static partial void Migrated(ILogger logger, string path, int from, int to);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Archive {Path}: a batch of {Count} write(s) failed and was rolled back; every caller in it got the error")]
    public static partial void BatchFailed(ILogger logger, Exception exception, string path, int count);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Archive {Path} closed")]
    public static partial void Closed(ILogger logger, string path);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Archive {Path} was changed by another connection; cached positions are reloaded (run one process per archive file)")]
    public static partial void ChangedElsewhere(ILogger logger, string path);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Debug, Message = "Archive {Path}: deleted {Count} message(s) of {Archive}")]
    public static partial void ArchiveDeleted(ILogger logger, string path, string archive, int count);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Critical, Message = "Archive {Location} cannot be opened: {Reason}")]
    public static partial void CannotOpen(ILogger logger, string location, string reason);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Critical, Message = "PostgreSQL refused Storage:ConnectionString ({Location}): {Reason}. Check the host, port, database, user and password in it")]
    public static partial void ConnectionRefused(ILogger logger, string location, string reason);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Warning, Message = "PostgreSQL at {Location} is unreachable ({Reason}); trying again in {Delay}")]
    public static partial void Unreachable(ILogger logger, string location, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "PostgreSQL at {Location} is reachable again")]
    public static partial void Reconnected(ILogger logger, string location);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Error, Message = "PostgreSQL at {Location} went away ({Reason}): writes are refused to their senders until it is back")]
    public static partial void WentAway(ILogger logger, string location, string reason);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Storage:Engine is not set and {Path} holds the SQLite archive of an earlier version: it stays in use. Set Storage:Engine=sqlite to keep it, or copy it to {Default} with migrate-archive (see README)")]
    public static partial void KeptSqlite(ILogger logger, string path, ArchiveEngine @default);
}
