namespace XmppGroupChat.Tests.Integration.Infrastructure;

/// <summary>One of the suite's programs, started as a real child process against a test server.</summary>
public sealed class ComponentProgram : IDisposable
{
    public static readonly string[] All = ["mix", "mirror", "dmuc-replica"];

    private ComponentProgram(string name, ManagedProcess process, string storage, XmppServer server, IReadOnlyList<string> args)
    {
        Name = name;
        Process = process;
        StoragePath = storage;
        Server = server;
        Args = args;
    }

    public string Name { get; }
    public ManagedProcess Process { get; }
    public string StoragePath { get; }
    public XmppServer Server { get; }

    /// <summary>The further command-line settings it was started with, to start it again alike.</summary>
    public IReadOnlyList<string> Args { get; }

    /// <summary>The domains the program serves on its server (the room host has two).</summary>
    public string[] Domains => Name == "mix"
        ? [Server.ComponentDomain("mix"), Server.ComponentDomain("muc")]
        : [Server.ComponentDomain(Name)];

    /// <summary>
    /// Starts the program. One signature with named optional parameters, so a storage path can
    /// never be taken for a command-line argument or the other way round.
    /// </summary>
    /// <param name="secret">the component secret to use instead of the server's (to test a wrong one)</param>
    /// <param name="storagePath">the storage of an earlier run, to start on the same data; a fresh directory when null</param>
    /// <param name="args">further command-line settings, e.g. "--Muc:TrustedMirrors:0=mirror.beta.test"</param>
    public static ComponentProgram Start(string name, XmppServer server, string? secret = null, string? storagePath = null,
        IReadOnlyList<string>? args = null)
    {
        var (project, assembly) = name switch
        {
            "mix" => ("Mix", "XmppGroupChat.Mix"),
            "mirror" => ("Mirror", "XmppGroupChat.Mirror"),
            "dmuc-replica" => ("DmucReplica", "XmppGroupChat.DmucReplica"),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        var storage = storagePath ?? Path.Combine(server.Directory, "storage-" + name + "-" + Guid.NewGuid().ToString("N")[..6]);
        var domain = server.ComponentDomain(name);
        string[] commandLine =
        [
            RepoPaths.ProgramDll(project, assembly),
            $"--Component:Host={server.Address}",
            $"--Component:Port={server.ComponentPortFor(domain)}",
            $"--Component:Domain={domain}",
            $"--Storage:Path={storage}",
            // Fast reconnects keep the restart tests short; the default cap is 30 s.
            "--Component:ReconnectMaxDelaySeconds=2",
            "--Logging:LogLevel:Default=Debug",
            .. args ?? [],
        ];
        // The secret comes from the environment, the way an admin's service manager would pass it.
        var env = new Dictionary<string, string> { ["Component__Secret"] = secret ?? server.Secret };
        if (name == "mix")
        {
            var muc = server.ComponentDomain("muc");
            commandLine = [.. commandLine, $"--Muc:Domain={muc}", $"--Muc:Port={server.ComponentPortFor(muc)}",
                "--Muc:ReconnectMaxDelaySeconds=2"];
        }
        return new ComponentProgram(name, ManagedProcess.Start("dotnet", commandLine, environment: env), storage, server, args ?? []);
    }

    /// <summary>Waits until every domain of the program has logged that it is connected.</summary>
    public async Task WaitConnectedAsync(TimeSpan timeout)
    {
        foreach (var domain in Domains)
            if (!await Process.WaitForOutputAsync($"Connected to {Server.Address}", timeout) ||
                !await Process.WaitForOutputAsync($"as {domain}", timeout))
                throw new TimeoutException($"{Name} did not connect {domain}:\n{Process.Output}");
    }

    public void Dispose() => Process.Dispose();
}
