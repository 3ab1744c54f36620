namespace XmppGroupChat.Tests.Integration.Infrastructure.Federation;

/// <summary>
/// Two or three Prosody servers federated over real s2s on loopback, with a counting proxy on
/// every link, so a test can see (and cut) what crosses between servers.
/// <code>
///   alpha.test on 127.0.0.a:5269          beta.test on 127.0.0.b:5269
///        |  hosts: beta.test, *.beta.test -> 127.0.0.q        ^
///        +---------------> proxy 127.0.0.q:5269 --------------+   (counts alpha->beta and the replies)
///        ^                                                    |
///        +-------------- proxy 127.0.0.p:5269 <---------------+
///                 hosts: alpha.test, *.alpha.test -> 127.0.0.p
/// </code>
/// <list type="bullet">
/// <item>Each server has its own 127.0.x.y address (<see cref="LoopbackAddress"/>, from 127.0.0.2 up, held by a lock
/// file so concurrent runs skip it). c2s and the component listener are free ports there; s2s is 5269, because
/// Prosody finds a peer by SRV (none here) and then the peer's A record on 5269, and a hosts file has no ports.</item>
/// <item>Each pair of servers has an <see cref="S2sLink"/>: two <see cref="CountingProxy"/>s on two more addresses
/// (port 5269), one in front of each server. A server's hosts file (Prosody's <c>unbound.hoststxt</c>) maps every
/// domain of every peer (the user domain and its component subdomains) to the proxy in front of that peer on their
/// link. So every s2s connection, in both directions and the dialback verification ones too, crosses a proxy that
/// knows which server is talking to which.</item>
/// <item>Dialback, no TLS (<c>s2s_require_encryption = false</c>, <c>s2s_secure_auth = false</c> from the sample,
/// <c>modules_disabled = { "tls"; "posix" }</c>); needs Debian's lua-unbound.</item>
/// <item>Users are registered in-band by <see cref="FederatedServer.ConnectAsync"/> (password "pass").</item>
/// </list>
/// </summary>
public sealed class Federation : IAsyncDisposable
{
    private readonly List<FederatedServer> _servers;
    private readonly List<S2sLink> _links = new();

    private Federation(IEnumerable<FederatedServerSpec> specs) => _servers = specs.Select(s => new FederatedServer(s)).ToList();

    public IReadOnlyList<FederatedServer> Servers => _servers;
    public IReadOnlyList<S2sLink> Links => _links;

    public FederatedServer this[string name] => _servers.SingleOrDefault(s => s.Name == name || s.Domain == name)
        ?? throw new KeyNotFoundException($"no federated server {name}");

    public S2sLink Link(FederatedServer a, FederatedServer b) => _links.SingleOrDefault(l => l.Joins(a, b))
        ?? throw new KeyNotFoundException($"no link between {a.Domain} and {b.Domain}");

    public S2sLink Link(string a, string b) => Link(this[a], this[b]);

    /// <summary>Starts the servers in parallel, then each server's programs, and returns when all are connected.</summary>
    public static async Task<Federation> StartAsync(params FederatedServerSpec[] specs)
    {
        if (specs.Length < 2) throw new ArgumentException("a federation needs two servers at least", nameof(specs));
        if (specs.Select(s => s.Name).Distinct().Count() != specs.Length) throw new ArgumentException("server names must differ", nameof(specs));
        var federation = new Federation(specs);
        try
        {
            await federation.StartServersAsync();
            await Task.WhenAll(federation._servers.SelectMany(s => s.Spec.Programs.Select(p => s.StartProgramAsync(p.Name, p.Args))));
        }
        catch
        {
            var diagnostics = federation.Diagnostics();
            await federation.DisposeAsync();
            TestContext.Out.WriteLine(diagnostics);
            throw;
        }
        return federation;
    }

    private async Task StartServersAsync()
    {
        for (var i = 0; i < _servers.Count; i++)
            for (var j = i + 1; j < _servers.Count; j++)
                _links.Add(new S2sLink(_servers[i], _servers[j]));
        await Task.WhenAll(_servers.Select(s => s.StartAsync(HostsLinesFor(s))));
    }

    /// <summary>Every peer domain, pointed at the proxy in front of that peer on the link between the two.</summary>
    private IEnumerable<string> HostsLinesFor(FederatedServer server) =>
        from peer in _servers
        where peer != server
        let front = Link(server, peer).FrontOf(peer)
        from domain in peer.ServedDomains
        select $"{front} {domain}";

    /// <summary>Servers, programs and links, for a failure message.</summary>
    public string Diagnostics() => string.Join('\n',
        _servers.Select(s => s.Diagnostics()).Concat(_links.Select(l => $"--- link {l}\n{l.Traffic.Describe()}")));

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_servers.Select(s => s.DisposeAsync().AsTask()));
        foreach (var link in _links) await link.DisposeAsync();
    }
}
