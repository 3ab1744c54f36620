using System.Net;
using System.Text.RegularExpressions;

namespace XmppGroupChat.Tests.Integration.Infrastructure;

/// <summary>Prosody 0.12 from Debian, started in the foreground (recipe: shared notes, interop-facts).</summary>
public sealed partial class ProsodyServer(ProsodySetup? setup = null)
    : XmppServer("prosody", (setup ?? new()).Address, (setup ?? new()).VirtualHost, (setup ?? new()).S2sPort)
{
    private readonly ProsodySetup _setup = setup ?? new();
    private ManagedProcess? _process;

    public override ServerKind Kind => ServerKind.Prosody;
    public string ConfigPath => Path.Combine(Directory, "prosody.cfg.lua");

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
        await File.WriteAllTextAsync(ConfigPath, RenderConfig());
        await File.WriteAllTextAsync(Path.Combine(Directory, "components.cfg.lua"), RenderComponents());
        _process = ManagedProcess.Start("prosody", ["--config", ConfigPath]);
        var ip = IPAddress.Parse(Address);
        await FreePort.WaitListeningAsync(ip, C2sPort, TimeSpan.FromSeconds(20), () => Log);
        await FreePort.WaitListeningAsync(ip, ComponentPort, TimeSpan.FromSeconds(5), () => Log);
        if (_setup.ListensForServers) await FreePort.WaitListeningAsync(ip, S2sPort, TimeSpan.FromSeconds(5), () => Log);
    }

    /// <summary>samples/prosody/prosody.cfg.lua with this instance's address, domain, modules and options.</summary>
    private string RenderConfig()
    {
        var text = Render("prosody/prosody.cfg.lua");
        text = ReplaceExpected(text, "\"127.0.0.1\"", $"\"{Address}\"");
        text = ReplaceExpected(text, $"VirtualHost \"{Domain}\"",
            string.Concat(_setup.GlobalLines.Select(l => Fill(l) + "\n")) + $"VirtualHost \"{VirtualHost}\"");
        text = EditModuleList(text, "modules_enabled", names => [.. names, .. _setup.Modules.Except(names)]);
        text = EditModuleList(text, "modules_disabled", names => [.. names.Except(_setup.Modules)]);
        return _setup.Sections.Length == 0 ? text : text + "\n" + Fill(_setup.Sections) + "\n";
    }

    /// <summary>samples/prosody/components.cfg.lua for this instance's domain ("mix.localhost" becomes "mix.alpha.test").</summary>
    private string RenderComponents() =>
        ReplaceExpected(Render("prosody/components.cfg.lua"), $".{Domain}\"", $".{VirtualHost}\"");

    // The sample changed shape if a piece is missing; fail loudly rather than start a server unlike the one asked for.
    private static string ReplaceExpected(string text, string piece, string replacement) =>
        text.Contains(piece, StringComparison.Ordinal)
            ? text.Replace(piece, replacement, StringComparison.Ordinal)
            : throw new InvalidOperationException($"the Prosody sample no longer contains {piece}");

    private static string EditModuleList(string text, string option, Func<string[], string[]> edit)
    {
        var match = ModuleList().Matches(text).SingleOrDefault(m => m.Groups["option"].Value == option)
            ?? throw new InvalidOperationException($"the Prosody sample no longer sets {option} on one line");
        var names = Regex.Matches(match.Groups["names"].Value, "\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToArray();
        var list = string.Join("; ", edit(names).Select(n => $"\"{n}\""));
        return text[..match.Index] + $"{option} = {{ {list} }}" + text[(match.Index + match.Length)..];
    }

    [GeneratedRegex(@"^(?<option>modules_(enabled|disabled)) = \{(?<names>[^}\n]*)\}", RegexOptions.Multiline)]
    private static partial Regex ModuleList();

    public override async Task StopAsync()
    {
        if (_process is null) return;
        await _process.StopAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
        _process = null;
    }
}
