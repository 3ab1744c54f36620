using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Component;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>
/// What every replica concern shares: the rooms, the store, the link, the addresses, the
/// settings and the clock; and the few ways the replica sends (to one local user, to every joined
/// local session, to the primary).
/// </summary>
public sealed class ReplicaService(
    ReplicaRooms rooms,
    ReplicaStore store,
    IStanzaSender sender,
    ReplicaAddress addresses,
    ReplicaSettings settings,
    TimeProvider clock,
    ILogger logger)
{
    public ReplicaRooms Rooms => rooms;
    public ReplicaStore Store => store;
    public IStanzaSender Sender => sender;
    public ReplicaAddress Addresses => addresses;
    public ReplicaSettings Settings => settings;
    public ILogger Logger => logger;
    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>The room a stanza to R or R/x is about, if the replica holds it.</summary>
    public ReplicatedRoom? FindRoom(Jid to) => addresses.PrimaryOf(to) is { } primary ? rooms.Find(primary) : null;

    /// <summary>Whether a stanza to R or R/x comes from R's primary room (or one of its occupant addresses).</summary>
    public bool FromPrimary(XElement stanza) =>
        stanza.GetTo() is { } to && addresses.PrimaryOf(to) is { } primary && stanza.GetFrom() is { } from && from.BareEquals(primary);

    public ValueTask SendAsync(XElement stanza, CancellationToken ct) => sender.SendAsync(stanza, ct);

    /// <summary>Sends each joined local session its own view of a stanza (null: that session gets nothing).</summary>
    public async ValueTask ToJoinedAsync(ReplicatedRoom room, Func<LocalSession, XElement?> view, CancellationToken ct)
    {
        foreach (var session in room.Joined.ToList())
            if (view(session) is { } stanza) await sender.SendAsync(stanza, ct);
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, byte> _background = new();

    /// <summary>Runs work the dispatcher must not wait for (an IQ round trip to the primary), logging a failure.</summary>
    public void Background(ReplicatedRoom room, string work, Func<Task> run)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await run();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.Failed(logger, ex, work, room.Primary.ToString());
            }
        });
        _background.TryAdd(task, 0);
        task.ContinueWith(t => _background.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Completes when the background work running now has finished (shutdown, tests).</summary>
    public Task BackgroundDone => Task.WhenAll(_background.Keys);

    /// <summary>Takes the room's gate for the length of a using block.</summary>
    public static async Task<IDisposable> LockAsync(ReplicatedRoom room, CancellationToken ct = default)
    {
        await room.Gate.WaitAsync(ct);
        return new Release(room.Gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) gate.Release();
        }
    }
}
