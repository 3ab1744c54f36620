using System.Xml.Linq;
using XmppGroupChat.Tests.Integration.Infrastructure;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Integration;

/// <summary>
/// A real terminal client on the MUC face: Debian's poezio, run under tmux the way a person would
/// use it, joins a room prepared by C# clients, shows its history and subject, and the line typed
/// into it reaches a MIX participant of the same room.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class TerminalClientTests() : ServerWithProgramsFixture(ServerKind.Prosody)
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(30);
    private static readonly XNamespace CoreNs = "urn:xmpp:mix:core:1";
    private string? _home;
    private string? _socket;

    [OneTimeSetUp]
    public async Task RegisterUsers()
    {
        foreach (var user in new[] { "bob", "carol" })
            await (await TestClient.ConnectAsync(Server.C2sPort, user)).DisposeAsync();
    }

    [Test]
    public async Task Poezio_joins_sees_history_and_subject_and_its_message_reaches_a_mix_participant()
    {
        var room = Jid.Parse("terminal@muc.localhost");
        var channel = Jid.Parse("terminal@mix.localhost");
        const string subject = "Plans for the weekend";
        string[] history = ["first line of history", "second line of history"];
        const string typed = "hello from poezio";

        // The room, made by alice on the MUC face: instant configuration, a subject, two messages.
        await Alice.SendAsync(new XElement(Ns.Component + "presence", new XAttribute("to", room + "/alice"), new XElement(Ns.Muc + "x")));
        await Alice.WaitForAsync(e => e.Name.LocalName == "presence" && e.Descendants(Ns.MucUser + "status").Any(s => s.Attribute("code")?.Value == "201"));
        var instant = await Alice.RequestAsync(Stanza.Iq("set", null, room, new XElement(Ns.MucOwner + "query", new XElement(Ns.DataForms + "x", new XAttribute("type", "submit")))));
        Assert.That(instant.GetStanzaType(), Is.EqualTo("result"), instant.ToString());
        await Alice.SendAsync(new XElement(Ns.Component + "message", new XAttribute("to", room.ToString()), new XAttribute("type", "groupchat"),
            new XElement(Ns.Component + "subject", subject)));
        await Alice.WaitForAsync(e => e.Name.LocalName == "message" && e.Element(Ns.Client + "subject")?.Value == subject);
        foreach (var line in history)
        {
            await Alice.SendAsync(Stanza.Message(null, room, "groupchat", line));
            await Alice.WaitForAsync(e => e.Element(Ns.Client + "body")?.Value == line);
        }

        // poezio fetches a room's history by MAM with an 'end' cut to whole seconds: it must not
        // join in the same second as the last message, or it asks for what came before that.
        await Task.Delay(TimeSpan.FromSeconds(1.2));

        // bob is in the same room on the MIX face.
        await using var bob = await TestClient.ConnectAsync(Server.C2sPort, "bob", resource: "mix");
        var join = await bob.RequestAsync(Stanza.Iq("set", null, channel, new XElement(CoreNs + "join",
            new XElement(CoreNs + "subscribe", new XAttribute("node", "urn:xmpp:mix:nodes:messages")), new XElement(CoreNs + "nick", "bob"))));
        Assert.That(join.GetStanzaType(), Is.EqualTo("result"), join.ToString());

        // carol uses poezio in a terminal; it joins the room on its own from its configuration.
        await StartPoezioAsync("carol", room, "carol");
        await WaitForScreenAsync(s => s.Contains(".terminal"), "the room's tab");
        // Autojoined rooms open in a tab of their own; go to it as a person would. The roster tab
        // takes a command only when '/' comes as a key press of its own, so type it key by key.
        await TypeAsync("/win terminal@muc.localhost");
        var screen = await WaitForScreenAsync(s => history.All(s.Contains) && s.Contains(subject), "the history and the subject");
        TestContext.Out.WriteLine("--- poezio's screen in the room\n" + screen);
        Assert.That(screen, Does.Contain(history[0]).And.Contain(history[1]).And.Contain(subject));
        Assert.That(screen.IndexOf(history[0], StringComparison.Ordinal), Is.LessThan(screen.IndexOf(history[1], StringComparison.Ordinal)),
            "history in the room's order");

        await TypeAsync(typed);

        var atBob = await bob.WaitForAsync(e => e.Name.LocalName == "message" && e.Element(Ns.Client + "body")?.Value == typed, Bounded);
        Assert.That(atBob.GetStanzaType(), Is.EqualTo("groupchat"), atBob.ToString());
        var from = atBob.GetFrom()!;
        Assert.That(from.Bare, Is.EqualTo(channel), atBob.ToString());
        Assert.That(from.Resource, Is.Not.Null.And.Not.Empty, "from the channel's participant id: " + atBob);
        // The MUC side shows it too, under carol's nick.
        await WaitForScreenAsync(s => s.Contains("carol> " + typed), "the sent line in the room");
    }

    [TearDown]
    public async Task StopPoezio()
    {
        if (_socket != null)
        {
            if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
            {
                TestContext.Out.WriteLine("--- poezio's screen\n" + await CaptureAsync());
                var debug = Path.Combine(_home!, "debug.log");
                if (File.Exists(debug)) TestContext.Out.WriteLine("--- poezio's debug log (tail)\n" + Tail(File.ReadAllText(debug), 20000));
            }
            try { await ManagedProcess.RunAsync("tmux", ["-S", _socket, "kill-server"], TimeSpan.FromSeconds(10)); }
            catch (TimeoutException) { }
            _socket = null;
        }
        if (_home != null)
        {
            // poezio may still be writing its logs while it goes down: try a few times.
            for (var attempt = 0; attempt < 5 && Directory.Exists(_home); attempt++)
            {
                try { Directory.Delete(_home, recursive: true); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { await Task.Delay(200); }
            }
            _home = null;
        }
    }

    /// <summary>
    /// Starts poezio in a detached tmux session on a private socket, with its own HOME and XDG
    /// directories and a configuration for this server (plain TCP on loopback, no TLS).
    /// </summary>
    private async Task StartPoezioAsync(string user, Jid room, string nick)
    {
        foreach (var tool in new[] { "poezio", "tmux" })
            if (!OnPath(tool)) Assert.Fail($"{tool} is not installed (Debian's package '{tool}'; Tests/run-tests.sh installs it)");
        // Under /tmp when poezio runs as 'nobody', who must be able to reach it.
        var temp = Environment.IsPrivilegedProcess ? "/tmp" : Path.GetTempPath();
        _home = Path.Combine(temp, "xgc-poezio-" + Guid.NewGuid().ToString("N")[..8]);
        var config = Path.Combine(_home, "config", "poezio");
        Directory.CreateDirectory(config);
        Directory.CreateDirectory(Path.Combine(_home, "data"));
        Directory.CreateDirectory(Path.Combine(_home, "cache"));
        await File.WriteAllTextAsync(Path.Combine(config, "poezio.cfg"), $"""
            [Poezio]
            jid = {user}@localhost
            password = pass
            custom_host = 127.0.0.1
            custom_port = {Server.C2sPort}
            force_encryption = false
            ignore_certificate = true
            certificate =
            rooms = {room}/{nick}
            use_remote_bookmarks = false
            """);
        _socket = Path.Combine(_home, "tmux.sock");

        string[] env =
        [
            "env", $"HOME={_home}", $"XDG_CONFIG_HOME={_home}/config", $"XDG_DATA_HOME={_home}/data", $"XDG_CACHE_HOME={_home}/cache",
            "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "TERM=screen-256color",
        ];
        // poezio will not run as root (it exits with "Please do not run poezio as root"), and the
        // tests usually do: then it runs as 'nobody', owning its own directories.
        string[] command = ["poezio", "-d", Path.Combine(_home, "debug.log")];
        if (Environment.IsPrivilegedProcess)
        {
            await ManagedProcess.RunAsync("chown", ["-R", "nobody:nogroup", _home], TimeSpan.FromSeconds(10));
            command = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", .. env, .. command];
        }
        else
        {
            command = [.. env, .. command];
        }
        // When poezio exits the pane stays, with its exit code, so a failure shows why.
        var shell = string.Join(' ', command.Select(Quote)) + " 2>" + Quote(Path.Combine(_home, "stderr.log")) +
                    "; echo \"poezio exited with $?\"; sleep 300";
        await TmuxAsync("new-session", "-d", "-s", "poezio", "-x", "200", "-y", "50", shell);
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':').Any(d => File.Exists(Path.Combine(d, tool)));

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    private async Task<string> TmuxAsync(params string[] args)
    {
        var (code, output) = await ManagedProcess.RunAsync("tmux", ["-S", _socket!, .. args], TimeSpan.FromSeconds(10));
        if (code != 0) throw new InvalidOperationException($"tmux {string.Join(' ', args)} failed ({code}): {output}");
        return output;
    }

    /// <summary>Types a line into poezio one key at a time, then Enter.</summary>
    private async Task TypeAsync(string line)
    {
        foreach (var c in line)
        {
            await TmuxAsync("send-keys", "-t", "poezio", "-l", c.ToString());
            await Task.Delay(10);
        }
        await WaitForScreenAsync(s => s.Contains(line), $"'{line}' typed in");
        await TmuxAsync("send-keys", "-t", "poezio", "Enter");
    }

    private async Task<string> CaptureAsync()
    {
        try { return await TmuxAsync("capture-pane", "-p", "-t", "poezio"); }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException) { return "(no pane: " + e.Message + ")"; }
    }

    /// <summary>Polls the pane until it shows what <paramref name="match"/> wants, for at most 30 s.</summary>
    private async Task<string> WaitForScreenAsync(Func<string, bool> match, string what)
    {
        var deadline = DateTime.UtcNow + Bounded;
        var screen = "";
        while (DateTime.UtcNow < deadline)
        {
            screen = await CaptureAsync();
            if (match(screen)) return screen;
            await Task.Delay(250);
        }
        var err = Path.Combine(_home!, "stderr.log");
        throw new TimeoutException($"poezio's screen did not show {what} within {Bounded.TotalSeconds} s:\n{screen}\n" +
                                   (File.Exists(err) ? "--- stderr\n" + File.ReadAllText(err) : ""));
    }

    private static string Tail(string s, int chars) => s.Length <= chars ? s : s[^chars..];
}
