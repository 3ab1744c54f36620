using System.Collections.Immutable;
using System.Xml.Linq;
using XmppGroupChat.Component;

namespace XmppGroupChat.Tests.Integration.Infrastructure.Federation;

/// <summary>
/// What crossed one s2s link, per direction: bytes, TCP connections, and every top-level element
/// in order. Directions are named by server domain ("alpha.test" to "beta.test"). Thread-safe;
/// the proxies write to it, tests read it.
/// </summary>
public sealed class TrafficLog
{
    private readonly object _gate = new();
    private readonly List<CrossedStanza> _crossed = new();
    private readonly Dictionary<string, long> _bytes = new();
    private readonly Dictionary<string, int> _connections = new();
    private readonly List<string> _notes = new();
    private long _sequence;
    private int _lastConnection;

    private static string Direction(string fromServer, string toServer) => $"{fromServer}->{toServer}";

    /// <summary>Now: pass it as "since" to see only what crossed afterwards.</summary>
    public TrafficMark Mark()
    {
        lock (_gate) return new TrafficMark(_sequence, _bytes.ToImmutableDictionary());
    }

    /// <summary>Forgets everything recorded so far (marks taken before stay ordered but count from zero bytes).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _crossed.Clear();
            _bytes.Clear();
            _connections.Clear();
            _notes.Clear();
        }
    }

    /// <summary>Elements that crossed from <paramref name="fromServer"/> to <paramref name="toServer"/>, oldest first.</summary>
    public IReadOnlyList<CrossedStanza> Crossed(string fromServer, string toServer, TrafficMark? since = null)
    {
        lock (_gate)
            return _crossed.Where(c => c.FromServer == fromServer && c.ToServer == toServer && c.Sequence > (since?.Sequence ?? 0)).ToList();
    }

    /// <summary>Every element in both directions, oldest first.</summary>
    public IReadOnlyList<CrossedStanza> All(TrafficMark? since = null)
    {
        lock (_gate) return _crossed.Where(c => c.Sequence > (since?.Sequence ?? 0)).ToList();
    }

    /// <summary>How many elements crossed that way (all of them, or those matching <paramref name="where"/>).</summary>
    public int Count(string fromServer, string toServer, Func<CrossedStanza, bool>? where = null, TrafficMark? since = null) =>
        Crossed(fromServer, toServer, since).Count(where ?? (_ => true));

    /// <summary>Bytes forwarded that way, stream headers and whitespace included.</summary>
    public long Bytes(string fromServer, string toServer, TrafficMark? since = null)
    {
        var direction = Direction(fromServer, toServer);
        lock (_gate)
        {
            var now = _bytes.GetValueOrDefault(direction);
            return Math.Max(0, now - (since?.Bytes.GetValueOrDefault(direction) ?? 0));
        }
    }

    /// <summary>TCP connections opened that way (the side in <paramref name="fromServer"/> connected).</summary>
    public int Connections(string fromServer, string toServer)
    {
        lock (_gate) return _connections.GetValueOrDefault(Direction(fromServer, toServer));
    }

    /// <summary>Waits until an element matching <paramref name="match"/> has crossed after <paramref name="since"/>.</summary>
    public async Task<CrossedStanza> WaitForAsync(Func<CrossedStanza, bool> match, TimeSpan timeout, TrafficMark? since = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            CrossedStanza? found;
            lock (_gate) found = _crossed.FirstOrDefault(c => c.Sequence > (since?.Sequence ?? 0) && match(c));
            if (found != null) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"nothing matching crossed in {timeout.TotalSeconds} s:\n{Describe()}");
            await Task.Delay(25);
        }
    }

    /// <summary>The whole log, one line per element, for failure messages.</summary>
    public string Describe(int last = 60)
    {
        lock (_gate)
        {
            var lines = _connections.Select(c => $"connections {c.Key}: {c.Value}")
                .Concat(_bytes.Select(b => $"bytes {b.Key}: {b.Value}"))
                .Concat(_notes)
                .Concat(_crossed.TakeLast(last).Select(c => c.ToString()));
            return string.Join('\n', lines);
        }
    }

    internal int OpenedConnection(string fromServer, string toServer)
    {
        lock (_gate)
        {
            var direction = Direction(fromServer, toServer);
            _connections[direction] = _connections.GetValueOrDefault(direction) + 1;
            return ++_lastConnection;
        }
    }

    internal void Forwarded(string fromServer, string toServer, int bytes)
    {
        lock (_gate)
        {
            var direction = Direction(fromServer, toServer);
            _bytes[direction] = _bytes.GetValueOrDefault(direction) + bytes;
        }
    }

    internal void Record(string fromServer, string toServer, int connection, XElement element)
    {
        var size = StanzaSerializer.ToUtf8(element, element.Name.Namespace).Length;
        lock (_gate) _crossed.Add(new CrossedStanza(++_sequence, DateTime.UtcNow, fromServer, toServer, connection, element, size));
    }

    internal void Note(string fromServer, string toServer, int connection, string note)
    {
        lock (_gate) _notes.Add($"{Direction(fromServer, toServer)} conn {connection}: {note}");
    }
}
