using System.Text.Json;

namespace XmppGroupChat.Tests.Integration.Infrastructure;

/// <summary>Runs the python3-slixmpp client scripts in clients/ (Debian's python, where the package lives).</summary>
public static class Slixmpp
{
    public const string Python = "/usr/bin/python3";

    public static async Task<JsonElement> RunAsync(string script, params string[] args)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "clients", script);
        var (code, output) = await ManagedProcess.RunAsync(Python, [path, .. args], TimeSpan.FromSeconds(60));
        if (code != 0) throw new InvalidOperationException($"{script} failed ({code}):\n{output}");
        var json = output.Split('\n').Last(l => l.TrimStart().StartsWith('{'));
        TestContext.Out.WriteLine($"{script}: {json}");
        return JsonDocument.Parse(json).RootElement;
    }
}
