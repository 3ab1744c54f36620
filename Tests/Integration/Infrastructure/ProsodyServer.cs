namespace XmppGroupChat.Tests.Integration.Infrastructure;

/// <summary>Prosody 0.12 from Debian, started in the foreground (recipe: shared notes, interop-facts).</summary>
public sealed class ProsodyServer() : XmppServer("prosody")
{
    private ManagedProcess? _process;

    public override ServerKind Kind => ServerKind.Prosody;
    public string ConfigPath => Path.Combine(Directory, "prosody.cfg.lua");

    /// <summary>Lua appended to the sample configuration for this instance only (e.g. Prosody's own MUC), leaving samples/ as other tests expect it.</summary>
    public string ExtraConfig { get; init; } = "";

    public override string Log
    {
        get
        {
            var file = Path.Combine(Directory, "prosody.log");
            var log = File.Exists(file) ? File.ReadAllText(file) : "";
            return $"{log}\n{_process?.Output}";
        }
    }

    public override async Task StartAsync()
    {
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "data"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "certs"));
        await File.WriteAllTextAsync(ConfigPath, Render("prosody/prosody.cfg.lua") + "\n" + ExtraConfig + "\n");
        await File.WriteAllTextAsync(Path.Combine(Directory, "components.cfg.lua"), Render("prosody/components.cfg.lua"));
        _process = ManagedProcess.Start("prosody", ["--config", ConfigPath]);
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
