using System.Collections.Concurrent;
using System.Diagnostics;
using System.Xml.Linq;

namespace XmppGroupChat.Tests.Integration.Infrastructure;

/// <summary>
/// Everything a client receives (IQ responses aside), kept: a test counts deliveries, so nothing
/// may be consumed by waiting. Disposing it closes the client's stream.
/// </summary>
public sealed class Inbox : IAsyncDisposable
{
    private readonly ConcurrentQueue<XElement> _all = new();
    private readonly Task _pump;

    public Inbox(TestClient client, string name)
    {
        Client = client;
        Name = name;
        _pump = Task.Run(async () =>
        {
            try
            {
                while (true) _all.Enqueue(await client.WaitForAsync(_ => true, TimeSpan.FromHours(1)));
            }
            catch (Exception)
            {
                // The stream ended.
            }
        });
    }

    public TestClient Client { get; }
    public string Name { get; }

    /// <summary>Everything received so far, in order.</summary>
    public IReadOnlyList<XElement> Received => _all.ToList();

    public IEnumerable<XElement> All(Func<XElement, bool> match) => _all.Where(match);

    public int Count(Func<XElement, bool> match) => _all.Count(match);

    /// <summary>How many stanzas have come so far: pass it as 'since' to look only at what comes after.</summary>
    public int Mark() => _all.Count;

    /// <summary>The first stanza (after the first <paramref name="since"/>) that matches, waiting for it.</summary>
    public async Task<XElement> WaitAsync(Func<XElement, bool> match, TimeSpan timeout, int since = 0)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_all.Skip(since).FirstOrDefault(match) is { } found) return found;
            await Task.Delay(20);
        }
        throw new TimeoutException($"{Name} received no matching stanza; received:\n{string.Join("\n", _all.Select(e => e.ToString(SaveOptions.DisableFormatting)))}");
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Task.WhenAny(_pump, Task.Delay(1000));
    }
}
