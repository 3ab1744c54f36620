using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace XmppGroupChat.Tests.Unit.Support;

/// <summary>
/// A logger (and factory) that keeps every entry, so a test can assert on event ids and wait for an
/// event to be logged (a signal, not a sleep).
/// </summary>
public sealed class RecordingLogger : ILogger, ILoggerFactory
{
    private readonly ConcurrentQueue<(EventId Id, LogLevel Level, string Message)> _entries = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _waiters = new();

    public IReadOnlyList<(EventId Id, LogLevel Level, string Message)> Entries => _entries.ToList();

    public IEnumerable<string> Messages(int eventId) => _entries.Where(e => e.Id.Id == eventId).Select(e => e.Message);

    /// <summary>Completes when an entry with <paramref name="eventId"/> has been logged (at once if one was).</summary>
    public Task WhenLogged(int eventId)
    {
        var waiter = _waiters.GetOrAdd(eventId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (_entries.Any(e => e.Id.Id == eventId))
            waiter.TrySetResult();
        return waiter.Task;
    }

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        _entries.Enqueue((eventId, logLevel, formatter(state, exception)));
        if (_waiters.TryGetValue(eventId.Id, out var waiter))
            waiter.TrySetResult();
    }

    public bool IsEnabled(LogLevel logLevel) => true;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }
}
