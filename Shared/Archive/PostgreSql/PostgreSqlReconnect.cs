using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace XmppGroupChat.Archive;

/// <summary>
/// How the archive reaches PostgreSQL again (Polly). At start-up (<see cref="Startup"/>): try until it
/// answers, with exponential backoff and jitter capped at <see cref="PostgreSqlArchiveOptions.ReconnectMaxDelay"/>,
/// each attempt logged (3009); a configuration error stops at once. While running (<see cref="Running"/>):
/// a batch that finds the connection gone tries a few quick reconnects, so a restart of the server
/// costs a moment, not a refusal; if that fails, a circuit breaker refuses the following batches at
/// once (their senders get <see cref="ArchiveUnavailableException"/> rather than waiting) and lets one
/// batch try again after a break that doubles up to the same cap.
/// </summary>
internal static class PostgreSqlReconnect
{
    public static ResiliencePipeline Startup(string location, ILogger logger, PostgreSqlArchiveOptions options) =>
        new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(PostgreSqlFaults.IsUnavailable),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.ReconnectBaseDelay,
            MaxDelay = options.ReconnectMaxDelay,
            OnRetry = args =>
            {
                ArchiveLog.Unreachable(logger, location, PostgreSqlFaults.Describe(args.Outcome.Exception!), args.RetryDelay);
                return default;
            },
        }).Build();

    public static ResiliencePipeline Running(string location, ILogger logger, PostgreSqlArchiveOptions options) =>
        new ResiliencePipelineBuilder()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(PostgreSqlFaults.IsUnavailable),
                FailureRatio = 1.0,
                MinimumThroughput = 2,
                SamplingDuration = TimeSpan.FromMinutes(1),
                BreakDurationGenerator = args =>
                {
                    var doubled = options.ReconnectBaseDelay * Math.Pow(2, Math.Min(args.FailureCount, 16));
                    return ValueTask.FromResult(doubled < options.ReconnectMaxDelay ? doubled : options.ReconnectMaxDelay);
                },
                OnOpened = args =>
                {
                    ArchiveLog.Unreachable(logger, location, PostgreSqlFaults.Describe(args.Outcome.Exception!), args.BreakDuration);
                    return default;
                },
            })
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(PostgreSqlFaults.IsUnavailable),
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.ReconnectBaseDelay,
            })
            .Build();

    /// <summary>Opens a connection through <paramref name="pipeline"/>; "not now" becomes <see cref="ArchiveUnavailableException"/>.</summary>
    public static NpgsqlConnection Open(ResiliencePipeline pipeline, NpgsqlDataSource source, string location)
    {
        try
        {
            return pipeline.Execute(static s => s.OpenConnection(), source);
        }
        catch (BrokenCircuitException e)
        {
            throw new ArchiveUnavailableException($"PostgreSQL at {location} is away: the write is refused, not stored.", e);
        }
        catch (Exception e) when (PostgreSqlFaults.IsUnavailable(e))
        {
            throw new ArchiveUnavailableException($"PostgreSQL at {location} cannot be reached: the write is refused, not stored.", e);
        }
    }
}
