using Microsoft.Extensions.Logging;

namespace XmppGroupChat.Concurrency;

/// <summary>The executors' log events (1301-1319).</summary>
internal static partial class ExecutorLog
{
    [LoggerMessage(EventId = 1301, Level = LogLevel.Error, Message = "{Executor}: a work item failed")]
    public static partial void WorkFailed(ILogger logger, Exception exception, string executor);
}
