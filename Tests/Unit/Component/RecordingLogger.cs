using Microsoft.Extensions.Logging;

namespace XmppGroupChat.Tests.Unit.Component;

/// <summary>An ILogger that keeps every entry with its event id and named values, and lets a test wait for one.</summary>
internal sealed class RecordingLogger : ILogger
{
    public sealed record Entry(LogLevel Level, int EventId, string Message, IReadOnlyDictionary<string, object?> Values)
    {
        public object? this[string name] => Values.TryGetValue(name, out var v) ? v : null;
    }

    private readonly List<Entry> _entries = new();
    private TaskCompletionSource _logged = NewSignal();

    public IReadOnlyList<Entry> Entries
    {
        get { lock (_entries) return _entries.ToList(); }
    }

    public IReadOnlyList<Entry> WithId(int eventId) => Entries.Where(e => e.EventId == eventId).ToList();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = (state as IEnumerable<KeyValuePair<string, object?>>)?.ToDictionary(kv => kv.Key, kv => kv.Value)
                     ?? new Dictionary<string, object?>();
        TaskCompletionSource signal;
        lock (_entries)
        {
            _entries.Add(new Entry(logLevel, eventId.Id, formatter(state, exception), values));
            signal = _logged;
            _logged = NewSignal();
        }
        signal.TrySetResult();
    }

    /// <summary>The first entry with <paramref name="eventId"/> that matches, waiting for it to be logged.</summary>
    public async Task<Entry> WaitForAsync(int eventId, Func<Entry, bool>? match = null, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task next;
            lock (_entries)
            {
                var found = _entries.FirstOrDefault(e => e.EventId == eventId && (match?.Invoke(e) ?? true));
                if (found != null) return found;
                next = _logged.Task;
            }
            try
            {
                await next.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"event {eventId} not logged; got:\n{string.Join("\n", Entries.Select(e => $"{e.EventId} {e.Message}"))}");
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
