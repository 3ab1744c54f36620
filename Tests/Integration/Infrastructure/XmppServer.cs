using System.Net;

namespace XmppGroupChat.Tests.Integration.Infrastructure;

public enum ServerKind { Prosody, Ejabberd }

/// <summary>
/// A real XMPP server on loopback, in its own temporary directory with free ports, configured
/// from the templates in samples/ (so the samples stay true).
/// </summary>
public abstract class XmppServer : IAsyncDisposable
{
    public const string Domain = "localhost";
    public static readonly string[] ComponentDomains = ["mix.localhost", "muc.localhost", "mirror.localhost", "dmuc-replica.localhost"];

    /// <param name="address">the loopback address every listener binds to</param>
    /// <param name="virtualHost">the server's user domain; its components are subdomains of it</param>
    /// <param name="s2sPort">the s2s port; a free one when null</param>
    protected XmppServer(string name, string address = "127.0.0.1", string virtualHost = Domain, int? s2sPort = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), $"xgc-{name}-{Guid.NewGuid():N}"[..24]);
        System.IO.Directory.CreateDirectory(Directory);
        Address = address;
        VirtualHost = virtualHost;
        var ip = IPAddress.Parse(address);
        C2sPort = FreePort.Next(ip);
        ComponentPort = FreePort.Next(ip);
        S2sPort = s2sPort ?? FreePort.Next(ip);
        Secret = "s" + Guid.NewGuid().ToString("N");
    }

    public string Directory { get; }

    /// <summary>The loopback address the server listens on (c2s, s2s and components).</summary>
    public string Address { get; }

    /// <summary>The server's user domain: <see cref="Domain"/> unless the server was made for federation.</summary>
    public string VirtualHost { get; }

    /// <summary>The domain of one of the suite's programs on this server: "mix" gives mix.&lt;virtual host&gt;.</summary>
    public string ComponentDomain(string program) => $"{program}.{VirtualHost}";

    public int C2sPort { get; }
    public int S2sPort { get; }
    public int ComponentPort { get; }

    /// <summary>The port a program connects to for <paramref name="domain"/>: Prosody has one for all, ejabberd one per domain.</summary>
    public virtual int ComponentPortFor(string domain) => ComponentPort;
    public string Secret { get; }
    public abstract ServerKind Kind { get; }

    public static XmppServer Create(ServerKind kind) => kind switch
    {
        ServerKind.Prosody => new ProsodyServer(),
        ServerKind.Ejabberd => new EjabberdServer(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public abstract Task StartAsync();
    public abstract Task StopAsync();
    public abstract string Log { get; }

    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    /// <summary>Fills a samples/ template's placeholders for this instance.</summary>
    protected string Render(string samplePath) => Fill(File.ReadAllText(Path.Combine(RepoPaths.Samples, samplePath)));

    /// <summary>Fills the samples' placeholders (@DIR@, @C2S_PORT@, …) in any config text for this instance.</summary>
    protected string Fill(string template) => template
        .Replace("@DIR@", Directory)
        .Replace("@C2S_PORT@", C2sPort.ToString())
        .Replace("@S2S_PORT@", S2sPort.ToString())
        .Replace("@COMPONENT_PORT@", ComponentPortFor("mix.localhost").ToString())
        .Replace("@MUC_COMPONENT_PORT@", ComponentPortFor("muc.localhost").ToString())
        .Replace("@MIRROR_COMPONENT_PORT@", ComponentPortFor("mirror.localhost").ToString())
        .Replace("@DMUC_COMPONENT_PORT@", ComponentPortFor("dmuc-replica.localhost").ToString())
        .Replace("@COMPONENT_SECRET@", Secret);

    public virtual async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        GC.SuppressFinalize(this);
    }
}
