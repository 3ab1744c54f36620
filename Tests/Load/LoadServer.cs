using XmppGroupChat.Tests.Integration.Infrastructure;

namespace XmppGroupChat.Load;

/// <summary>
/// A real server from the integration tests' base (temporary directory, free ports, the samples/
/// templates), plus what a load run needs on top: the server's own MUC and the ceiling
/// component's domain, written as a small extra snippet so the samples stay as they are.
/// </summary>
public abstract class LoadServer(string name) : XmppServer(name)
{
    /// <summary>The server's own MUC service (Prosody's mod_muc, ejabberd's mod_muc).</summary>
    public const string ServerMucDomain = "conference.localhost";
    /// <summary>The bare fan-out component that gives the component path's ceiling.</summary>
    public const string CeilingDomain = "ceiling.localhost";

    public static LoadServer For(ServerKind kind) => kind switch
    {
        ServerKind.Prosody => new LoadProsody(),
        ServerKind.Ejabberd => new LoadEjabberd(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// The server's processes, for CPU figures: everything whose command line names this run's
    /// directory (for ejabberd that is the Erlang VM under its su wrapper), except <paramref name="others"/>.
    /// </summary>
    public IReadOnlyList<int> ProcessIds(IEnumerable<int> others) =>
        ProcCpu.WithCommandLine(Directory).Except(others).ToArray();
}
