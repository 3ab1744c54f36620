namespace XmppGroupChat.Tests.Integration.Infrastructure.Federation;

/// <summary>
/// The s2s link between two federated servers: two counting proxies, one in front of each server,
/// on their own loopback addresses, sharing one <see cref="TrafficLog"/>. Each server's hosts file
/// sends the other's domains to the proxy in front of the other, so every s2s connection between
/// the two (either direction, dialback verification included) crosses this link.
/// </summary>
public sealed class S2sLink : IAsyncDisposable
{
    private readonly LoopbackAddress _frontOfA;
    private readonly LoopbackAddress _frontOfB;

    internal S2sLink(FederatedServer a, FederatedServer b)
    {
        A = a;
        B = b;
        _frontOfA = LoopbackAddress.Next();
        _frontOfB = LoopbackAddress.Next();
        TowardsA = new CountingProxy(_frontOfA.S2sEndPoint, a.Address.S2sEndPoint, b.Domain, a.Domain, Traffic);
        TowardsB = new CountingProxy(_frontOfB.S2sEndPoint, b.Address.S2sEndPoint, a.Domain, b.Domain, Traffic);
    }

    public FederatedServer A { get; }
    public FederatedServer B { get; }
    public TrafficLog Traffic { get; } = new();

    /// <summary>The proxy B connects to when it talks to A's domains.</summary>
    public CountingProxy TowardsA { get; }

    /// <summary>The proxy A connects to when it talks to B's domains.</summary>
    public CountingProxy TowardsB { get; }

    public bool Joins(FederatedServer x, FederatedServer y) => (A == x && B == y) || (A == y && B == x);

    /// <summary>The address the other server's hosts file gives for <paramref name="server"/>'s domains.</summary>
    internal LoopbackAddress FrontOf(FederatedServer server) => server == A ? _frontOfA : server == B ? _frontOfB
        : throw new ArgumentException($"{server.Domain} is not on the link {A.Domain}-{B.Domain}");

    /// <summary>
    /// Netsplit both servers notice: resets every connection of the link and refuses new ones.
    /// Seen with Prosody 0.12: once it has seen the connection go, it bounces stanzas for the peer
    /// with remote-server-not-found (cancel); a stanza it wrote in the instant of the cut is lost
    /// unanswered (s2s has no stream management). After <see cref="Unblock"/> it connects anew
    /// (dialback included) on the next stanza and does not resend what it bounced.
    /// </summary>
    public void Block()
    {
        TowardsA.Block();
        TowardsB.Block();
    }

    /// <summary>
    /// Netsplit neither server notices: connections stay up, no byte moves, new connections hang.
    /// What was sent meanwhile crosses, in order, after <see cref="Unblock"/>.
    /// </summary>
    public void Stall()
    {
        TowardsA.Stall();
        TowardsB.Stall();
    }

    /// <summary>Netjoin: traffic flows again; a blocked link needs the servers to connect anew.</summary>
    public void Unblock()
    {
        TowardsA.Unblock();
        TowardsB.Unblock();
    }

    public TrafficMark Mark() => Traffic.Mark();
    public void Reset() => Traffic.Reset();

    /// <summary>Elements that crossed from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public IReadOnlyList<CrossedStanza> Crossed(FederatedServer from, FederatedServer to, TrafficMark? since = null) =>
        Traffic.Crossed(from.Domain, to.Domain, since);

    public int Count(FederatedServer from, FederatedServer to, Func<CrossedStanza, bool>? where = null, TrafficMark? since = null) =>
        Traffic.Count(from.Domain, to.Domain, where, since);

    public long Bytes(FederatedServer from, FederatedServer to, TrafficMark? since = null) => Traffic.Bytes(from.Domain, to.Domain, since);

    public int Connections(FederatedServer from, FederatedServer to) => Traffic.Connections(from.Domain, to.Domain);

    public override string ToString() => $"{A.Domain} [{_frontOfA}] <-> [{_frontOfB}] {B.Domain}";

    public async ValueTask DisposeAsync()
    {
        await TowardsA.DisposeAsync();
        await TowardsB.DisposeAsync();
        _frontOfA.Dispose();
        _frontOfB.Dispose();
    }
}
