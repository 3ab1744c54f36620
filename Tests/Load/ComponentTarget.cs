using XmppGroupChat.Tests.Integration.Infrastructure;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Load;

/// <summary>
/// Our MUC face: the room host (Components/Mix, built with this project) started against the
/// server as the integration tests start it, and joined on muc.localhost with standard XEP-0045.
/// </summary>
public sealed class ComponentTarget : LoadTarget
{
    private const string MucFaceDomain = "muc.localhost";
    private ComponentProgram? _program;

    public override TargetKind Kind => TargetKind.Component;
    public override Jid Room { get; } = Jid.Create(RoomName, MucFaceDomain);
    public override int? ComponentPid => _program?.Process.Process.Id;

    public override async Task StartAsync(XmppServer server, CancellationToken ct)
    {
        try
        {
            // Information, not the tests' Debug: per-stanza logging would be measured as load.
            // Storage goes in the server's temporary directory, fresh for every run.
            _program = ComponentProgram.Start("mix", server, args: ["--Logging:LogLevel:Default=Information"]);
            await _program.WaitConnectedAsync(TimeSpan.FromSeconds(30));
        }
        catch (FileNotFoundException ex)
        {
            throw new TargetUnavailableException($"Components/Mix is not built ({ex.FileName})");
        }
        catch (TimeoutException ex)
        {
            throw new TargetUnavailableException($"the room host did not connect: {ex.Message.Split('\n')[0]}");
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (_program is null) return;
        await _program.Process.StopAsync(TimeSpan.FromSeconds(10));
        _program.Dispose();
    }
}
