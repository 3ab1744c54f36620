using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Integration.Infrastructure.Federation;

/// <summary>
/// One Prosody of a federation: its own 127.0.x.y address (c2s and component listener on free
/// ports there, s2s on 5269), its own domain, dialback without TLS, and a hosts file that sends
/// every peer domain to the proxy in front of that peer. All four component domains of
/// samples/prosody/components.cfg.lua are registered (mix, muc, mirror, dmuc-replica).
/// </summary>
public sealed class FederatedServer : IAsyncDisposable
{
    public const string Password = "pass";
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    private readonly List<ComponentProgram> _programs = new();
    private readonly List<ComponentProgram> _replaced = new(); // earlier runs of restarted programs, for their output

    internal FederatedServer(FederatedServerSpec spec)
    {
        Spec = spec;
        Address = LoopbackAddress.Next();
        var sections = spec.Sections;
        if (spec.ServerMuc)
            sections = $"Component \"{ServerMucDomain}\" \"muc\"\n    restrict_room_creation = false\n" + sections;
        Server = new ProsodyServer(new ProsodySetup
        {
            Address = Address.ToString(),
            VirtualHost = spec.Domain,
            S2sPort = LoopbackAddress.S2sPort,
            Modules = ["s2s", "dialback"],
            // Peers are found in the hosts file (A records, port 5269); "test." is a local zone
            // in libunbound, so the SRV lookup before it fails at once without the network.
            GlobalLines = [$"unbound = {{ hoststxt = \"@DIR@/{HostsFileName}\"; resolvconf = false }}"],
            Sections = sections,
        });
    }

    public FederatedServerSpec Spec { get; }
    public string Name => Spec.Name;
    public string Domain => Spec.Domain;
    public LoopbackAddress Address { get; }
    public ProsodyServer Server { get; }
    private const string HostsFileName = "hosts";
    public string HostsFile => Path.Combine(Server.Directory, HostsFileName);
    public IReadOnlyList<ComponentProgram> Programs => _programs;

    /// <summary>Prosody's own MUC service, when the spec asks for it.</summary>
    public string ServerMucDomain => $"conference.{Domain}";

    /// <summary>The domain of one of the suite's programs here: "mix" gives mix.alpha.test.</summary>
    public string ComponentDomain(string program) => Server.ComponentDomain(program);

    /// <summary>Every domain this server answers for; its peers' hosts files send all of them to it.</summary>
    public IEnumerable<string> ServedDomains =>
        new[] { Domain, ComponentDomain("mix"), ComponentDomain("muc"), ComponentDomain("mirror"), ComponentDomain("dmuc-replica") }
            .Concat(Spec.ServerMuc ? [ServerMucDomain] : [])
            .Concat(Spec.ExtraDomains);

    public Jid UserJid(string user) => Jid.Parse($"{user}@{Domain}");

    /// <summary>A logged-in client of this server; the account is registered in-band if new.</summary>
    public Task<TestClient> ConnectAsync(string user, string resource = "test") =>
        TestClient.ConnectAsync(Server.C2sPort, user, Password, Domain, register: true, resource, host: Address.ToString());

    /// <summary>Starts one of the suite's programs against this server and waits until it is connected.</summary>
    public async Task<ComponentProgram> StartProgramAsync(string name, params string[] args)
    {
        var program = ComponentProgram.Start(name, Server, args: args);
        lock (_programs) _programs.Add(program);
        await program.WaitConnectedAsync(ConnectTimeout);
        return program;
    }

    /// <summary>
    /// Starts a program that was stopped or killed (<c>Process.Kill()</c> is SIGKILL) again, on the same storage and with the same
    /// settings, in its place in <see cref="Programs"/>, and waits until it is connected.
    /// </summary>
    public async Task<ComponentProgram> StartAgainAsync(ComponentProgram stopped)
    {
        if (!stopped.Process.HasExited) throw new InvalidOperationException($"{stopped.Name} on {Domain} is still running");
        var again = ComponentProgram.Start(stopped.Name, Server, storagePath: stopped.StoragePath, args: stopped.Args);
        lock (_programs)
        {
            var at = _programs.IndexOf(stopped);
            if (at >= 0) _programs[at] = again;
            else _programs.Add(again);
            _replaced.Add(stopped);
        }
        await again.WaitConnectedAsync(ConnectTimeout);
        return again;
    }

    /// <summary>
    /// Restarts Prosody (a graceful stop, then a start on the same configuration, data and ports)
    /// while the programs keep running, and waits until each has connected again by itself.
    /// <paramref name="whileDown"/> runs between the stop and the start.
    /// </summary>
    public async Task RestartAsync(Func<Task>? whileDown = null)
    {
        var connections = _programs.SelectMany(p => p.Domains.Select(d => ConnectedLine(d)).Select(line => (p, line, Seen: p.Process.OutputCount(line)))).ToList();
        await Server.StopAsync();
        if (whileDown != null) await whileDown();
        await Server.StartAsync();
        foreach (var (program, line, seen) in connections)
            if (!await program.Process.WaitForOutputCountAsync(line, seen + 1, ConnectTimeout))
                throw new TimeoutException($"{program.Name} did not connect to {Domain} again after the restart:\n{program.Process.Output}");
    }

    // What the link logs (event 1001) each time it has connected a domain.
    private string ConnectedLine(string domain) => $"Connected to {Server.Address}:{Server.ComponentPortFor(domain)} as {domain}";

    internal async Task StartAsync(IEnumerable<string> hostsLines)
    {
        await File.WriteAllLinesAsync(HostsFile, hostsLines);
        await Server.StartAsync();
    }

    public string Diagnostics()
    {
        var programs = _replaced.Select(p => $"--- {p.Name} on {Domain} (before it was started again)\n{p.Process.Output}")
            .Concat(_programs.Select(p => $"--- {p.Name} on {Domain}\n{p.Process.Output}"));
        return string.Join('\n', programs.Append($"--- prosody {Domain} ({Address})\n{Server.Log}"));
    }

    public async ValueTask DisposeAsync()
    {
        // The programs first, so they close their streams while the server is still up.
        foreach (var p in _programs) await p.Process.StopAsync(TimeSpan.FromSeconds(5));
        foreach (var p in _programs.Concat(_replaced)) p.Dispose();
        await Server.DisposeAsync();
        Address.Dispose();
    }
}
