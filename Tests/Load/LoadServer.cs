using XmppGroupChat.Tests.Integration.Infrastructure;

namespace XmppGroupChat.Load;

/// <summary>
/// The servers a load run uses: the integration tests' own ProsodyServer and EjabberdServer
/// (temporary directory, free ports, the samples/ templates), each given what a load run needs on
/// top: the server's own MUC and the ceiling component's domain, added to this instance's
/// configuration only, so the samples stay as they are.
/// </summary>
public static class LoadServer
{
    /// <summary>The server's own MUC service (Prosody's mod_muc, ejabberd's mod_muc).</summary>
    public const string ServerMucDomain = "conference.localhost";
    /// <summary>The bare fan-out component that gives the component path's ceiling.</summary>
    public const string CeilingDomain = "ceiling.localhost";

    public static XmppServer For(ServerKind kind) => kind switch
    {
        ServerKind.Prosody => new ProsodyServer(new ProsodySetup { Sections = ProsodySections }),
        ServerKind.Ejabberd => new EjabberdServer(WithEjabberdSnippet, [CeilingDomain]),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// The server's processes, for CPU figures: everything whose command line names this run's
    /// directory (for ejabberd that is the Erlang VM under its su wrapper), except <paramref name="others"/>.
    /// </summary>
    public static IReadOnlyList<int> ProcessIds(this XmppServer server, IEnumerable<int> others) =>
        ProcCpu.WithCommandLine(server.Directory).Except(others).ToArray();

    private const string ProsodySections = $"""
        -- Added by the MUC load driver (Tests/Load) for this run only.
        -- The server's own MUC; rooms are created by the first join (locked until the
        -- creator accepts the instant configuration, which the driver does).
        Component "{ServerMucDomain}" "muc"
            restrict_room_creation = false
        -- The ceiling: a bare component that fans pre-serialised messages out to the occupants.
        Component "{CeilingDomain}"
            component_secret = "@COMPONENT_SECRET@"
        """;

    // YAML has no include that merges lists, so the snippet goes in as the first entries of the
    // sample's 'listen' list and 'modules' map.
    private static string WithEjabberdSnippet(EjabberdServer server, string yml)
    {
        var listener = $"""
              # Added by the MUC load driver (Tests/Load): the ceiling component's listener.
              - port: {server.ComponentPortFor(CeilingDomain)}
                ip: "127.0.0.1"
                module: ejabberd_service
                hosts:
                  "{CeilingDomain}":
                    password: "{server.Secret}"

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
}
