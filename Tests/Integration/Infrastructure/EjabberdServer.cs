namespace XmppGroupChat.Tests.Integration.Infrastructure;

/// <summary>
/// ejabberd 23.01 from Debian. ejabberdctl re-runs itself as user 'ejabberd' and reads its own
/// ctl config, so the instance gets its own ctl config, node name and a directory that user owns.
/// </summary>
/// <param name="editConfig">changes to the rendered samples/ejabberd/ejabberd.yml for this instance only (the load driver adds mod_muc and a listener)</param>
/// <param name="extraComponentDomains">further component domains whose listeners must be up before the server counts as started</param>
public sealed class EjabberdServer(Func<EjabberdServer, string, string>? editConfig = null, IReadOnlyList<string>? extraComponentDomains = null)
    : XmppServer("ejabberd")
{
    private ManagedProcess? _process;
    private readonly string _node = $"xgc{Guid.NewGuid():N}"[..12] + "@localhost";

    public override ServerKind Kind => ServerKind.Ejabberd;

    // One ejabberd_service listener per domain (see samples/ejabberd/ejabberd.yml for why).
    private readonly Dictionary<string, int> _componentPorts = new();

    public override int ComponentPortFor(string domain)
    {
        if (domain == "mix.localhost") return ComponentPort;
        lock (_componentPorts)
        {
            if (!_componentPorts.TryGetValue(domain, out var port)) _componentPorts[domain] = port = FreePort.Next();
            return port;
        }
    }

    private string[] CtlArgs =>
    [
        "--ctl-config", Path.Combine(Directory, "ejabberdctl.cfg"),
        "--config", Path.Combine(Directory, "ejabberd.yml"),
        "--spool", Path.Combine(Directory, "db"),
        "--logs", Path.Combine(Directory, "logs"),
        "--node", _node,
    ];

    public override string Log
    {
        get
        {
            var file = Path.Combine(Directory, "logs", "ejabberd.log");
            var log = File.Exists(file) ? File.ReadAllText(file) : "";
            return $"{log}\n{_process?.Output}";
        }
    }

    public override async Task StartAsync()
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "db"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "logs"));
        var yml = Path.Combine(Directory, "ejabberd.yml");
        var config = Render("ejabberd/ejabberd.yml");
        await File.WriteAllTextAsync(yml, editConfig is null ? config : editConfig(this, config));
        await File.WriteAllTextAsync(Path.Combine(Directory, "ejabberdctl.cfg"),
            $"EJABBERD_CONFIG_PATH={yml}\nERLANG_NODE={_node}\n");
        await ManagedProcess.RunAsync("chown", ["-R", "ejabberd", Directory], TimeSpan.FromSeconds(10));
        _process = ManagedProcess.Start("ejabberdctl", [.. CtlArgs, "foreground"]);
        await FreePort.WaitListeningAsync(C2sPort, TimeSpan.FromSeconds(60), () => Log);
        foreach (var domain in ComponentDomains.Concat(extraComponentDomains ?? []))
            await FreePort.WaitListeningAsync(ComponentPortFor(domain), TimeSpan.FromSeconds(10), () => Log);
    }

    public override async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            try { await ManagedProcess.RunAsync("ejabberdctl", [.. CtlArgs, "stop"], TimeSpan.FromSeconds(30)); }
            catch (TimeoutException) { }
            if (!await _process.WaitForExitAsync(TimeSpan.FromSeconds(20))) _process.Kill();
        }
        // The Erlang VM runs as a grandchild under 'su': make sure nothing of this node survives.
        await ManagedProcess.RunAsync("pkill", ["-f", _node], TimeSpan.FromSeconds(5));
        _process.Dispose();
        _process = null;
        await WaitPortClosedAsync(C2sPort);
    }

    private static async Task WaitPortClosedAsync(int port)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var c = new System.Net.Sockets.TcpClient();
                await c.ConnectAsync(System.Net.IPAddress.Loopback, port);
            }
            catch (System.Net.Sockets.SocketException)
            {
                return;
            }
            await Task.Delay(100);
        }
    }
}
