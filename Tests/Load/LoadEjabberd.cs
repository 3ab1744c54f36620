using System.Diagnostics;
using XmppGroupChat.Tests.Integration.Infrastructure;

namespace XmppGroupChat.Load;

/// <summary>
/// ejabberd 23.01 as the integration tests run it (own ctl config and node, a directory the
/// 'ejabberd' user owns), plus mod_muc and a listener for the ceiling component.
/// </summary>
public sealed class LoadEjabberd() : LoadServer("ejabberd")
{
    private readonly string _node = $"xgcl{Guid.NewGuid():N}"[..12] + "@localhost";
    private readonly Dictionary<string, int> _componentPorts = new();
    private ManagedProcess? _process;

    public override ServerKind Kind => ServerKind.Ejabberd;

    /// <summary>One ejabberd_service listener per domain, as in the integration tests and the sample.</summary>
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
            return (File.Exists(file) ? File.ReadAllText(file) : "") + "\n" + _process?.Output;
        }
    }

    public override async Task StartAsync()
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "db"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "logs"));
        var yml = Path.Combine(Directory, "ejabberd.yml");
        await File.WriteAllTextAsync(yml, WithLoadSnippet(Render("ejabberd/ejabberd.yml")));
        await File.WriteAllTextAsync(Path.Combine(Directory, "ejabberdctl.cfg"), $"EJABBERD_CONFIG_PATH={yml}\nERLANG_NODE={_node}\n");
        await ManagedProcess.RunAsync("chown", ["-R", "ejabberd", Directory], TimeSpan.FromSeconds(10));
        _process = ManagedProcess.Start("ejabberdctl", [.. CtlArgs, "foreground"]);
        await FreePort.WaitListeningAsync(C2sPort, TimeSpan.FromSeconds(60), () => Log);
        foreach (var domain in ComponentDomains.Append(CeilingDomain))
            await FreePort.WaitListeningAsync(ComponentPortFor(domain), TimeSpan.FromSeconds(10), () => Log);
    }

    // YAML has no include that merges lists, so the snippet goes in as the first entries of the
    // sample's 'listen' list and 'modules' map.
    private string WithLoadSnippet(string yml)
    {
        var listener = $"""
              # Added by the MUC load driver (Tests/Load): the ceiling component's listener.
              - port: {ComponentPortFor(CeilingDomain)}
                ip: "127.0.0.1"
                module: ejabberd_service
                hosts:
                  "{CeilingDomain}":
                    password: "{Secret}"

            """;
        var muc = $"""
              # Added by the MUC load driver (Tests/Load): the server's own MUC.
              mod_muc:
                hosts:
                  - "{ServerMucDomain}"
                access: all
                access_create: all

            """;
        return Insert(Insert(yml, "\nlisten:\n", listener), "\nmodules:\n", muc);
    }

    private static string Insert(string text, string after, string snippet)
    {
        var at = text.IndexOf(after, StringComparison.Ordinal);
        if (at < 0) throw new InvalidOperationException($"samples/ejabberd/ejabberd.yml has no '{after.Trim()}' section any more");
        return text.Insert(at + after.Length, snippet);
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
        // The Erlang VM runs as a grandchild under 'su': end whatever of this node is left, by pid.
        foreach (var pid in ProcCpu.WithCommandLine(_node))
        {
            try { Process.GetProcessById(pid).Kill(); }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException) { }
        }
        _process.Dispose();
        _process = null;
    }
}
