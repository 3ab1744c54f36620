using XmppGroupChat.Tests.Integration.Infrastructure;

namespace XmppGroupChat.Load;

/// <summary>Prosody 0.12 as the integration tests run it, plus mod_muc and the ceiling component.</summary>
public sealed class LoadProsody() : LoadServer("prosody")
{
    private ManagedProcess? _process;

    public override ServerKind Kind => ServerKind.Prosody;

    public override string Log
    {
        get
        {
            var file = Path.Combine(Directory, "prosody.log");
            return (File.Exists(file) ? File.ReadAllText(file) : "") + "\n" + _process?.Output;
        }
    }

    public override async Task StartAsync()
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "data"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "certs"));
        var config = Path.Combine(Directory, "prosody.cfg.lua");
        var snippet = Path.Combine(Directory, "load.cfg.lua");
        await File.WriteAllTextAsync(config, Render("prosody/prosody.cfg.lua") + $"\nInclude \"{snippet}\"\n");
        await File.WriteAllTextAsync(Path.Combine(Directory, "components.cfg.lua"), Render("prosody/components.cfg.lua"));
        await File.WriteAllTextAsync(snippet, $"""
            -- Added by the MUC load driver (Tests/Load) for this run only.
            -- The server's own MUC; rooms are created by the first join (locked until the
            -- creator accepts the instant configuration, which the driver does).
            Component "{ServerMucDomain}" "muc"
                restrict_room_creation = false
            -- The ceiling: a bare component that fans pre-serialised messages out to the occupants.
            Component "{CeilingDomain}"
                component_secret = "{Secret}"

            """);
        _process = ManagedProcess.Start("prosody", ["--config", config]);
        await FreePort.WaitListeningAsync(C2sPort, TimeSpan.FromSeconds(20), () => Log);
        await FreePort.WaitListeningAsync(ComponentPort, TimeSpan.FromSeconds(5), () => Log);
    }

    public override async Task StopAsync()
    {
        if (_process is null) return;
        await _process.StopAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
        _process = null;
    }
}
