using System.Collections.Concurrent;
using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Load;

/// <summary>
/// N logged-in occupants of one room. The first <c>senders</c> keep parsing (they send, and must
/// see bounces); every other occupant only counts once everyone is in.
/// </summary>
public sealed class LoadRoom : IAsyncDisposable
{
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(15);
    private readonly LoadClient[] _clients;

    private LoadRoom(Jid room, LoadClient[] clients, int senders)
    {
        Room = room;
        _clients = clients;
        Senders = clients[..senders];
    }

    public Jid Room { get; }
    public IReadOnlyList<LoadClient> Senders { get; }
    public int Occupants => _clients.Length;

    public static async Task<LoadRoom> JoinAsync(int c2sPort, Jid room, int occupants, int senders, Scoreboard board,
        CancellationToken ct)
    {
        var clients = new ConcurrentDictionary<int, LoadClient>();
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, occupants),
                new ParallelOptions { MaxDegreeOfParallelism = Accounts.Batch, CancellationToken = ct },
                async (i, token) => clients[i] = await LoadClient.LoginAsync(c2sPort, Accounts.User(i), Accounts.Password, i, board, token));
            var ordered = Enumerable.Range(0, occupants).Select(i => clients[i]).ToArray();

            // The first occupant creates the room; a server that locks new rooms (status 201)
            // gets the standard instant-room answer before anyone else comes in.
            var self = await ordered[0].JoinAsync(Nick(room, 0), JoinTimeout);
            if (LoadClient.HasStatus(self, "201")) await UnlockAsync(ordered[0], room);
            await Parallel.ForEachAsync(ordered.Skip(1), new ParallelOptions { MaxDegreeOfParallelism = Accounts.Batch, CancellationToken = ct },
                async (c, _) => await c.JoinAsync(Nick(room, c.Index), JoinTimeout));

            foreach (var c in ordered.Skip(senders)) c.StopParsing();
            return new LoadRoom(room, ordered, senders);
        }
        catch
        {
            await Task.WhenAll(clients.Values.Select(c => c.DisposeAsync().AsTask()));
            throw;
        }
    }

    public static Jid Nick(Jid room, int index) => room.WithResource($"u{index:000}");

    private static async Task UnlockAsync(LoadClient owner, Jid room)
    {
        var answer = await owner.RequestAsync(new XElement(Ns.Client + "iq", new XAttribute("type", "set"),
            new XAttribute("to", room.ToString()),
            new XElement(Ns.MucOwner + "query", new XElement(Ns.DataForms + "x", new XAttribute("type", "submit")))),
            JoinTimeout);
        if (answer.IsErrorType()) throw new JoinFailedException($"{room} refused the instant-room configuration: {answer}");
    }

    /// <summary>
    /// Latency is sampled on every <see cref="LatencyEvery"/>th occupant (and the senders, which
    /// parse): spread over the room, so over the server's fan-out order. The other occupants read
    /// in batches during latency runs too, so the driver's own CPU does not queue the samples.
    /// </summary>
    public const int LatencyEvery = 5;

    /// <summary>
    /// Batched reads (see <see cref="LoadClient.ReadInBatches"/>) for the occupants that only
    /// count, all of them or all but the latency sample.
    /// </summary>
    public void ReadInBatches(bool on, bool exceptLatencySample = false)
    {
        foreach (var c in _clients.Skip(Senders.Count))
            c.ReadInBatches(on && !(exceptLatencySample && c.Index % LatencyEvery == 0));
    }

    /// <summary>Occupants that received fewer copies than <paramref name="expected"/> in <paramref name="phase"/>.</summary>
    public int ShortOccupants(Phase phase, long expected) => _clients.Count(c => phase.DeliveredTo(c.Index) < expected);

    public async ValueTask DisposeAsync() => await Task.WhenAll(_clients.Select(c => c.DisposeAsync().AsTask()));
}
