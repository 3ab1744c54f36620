using XmppGroupChat.Tests.Integration.Infrastructure;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Load;

/// <summary>The ceiling: this program in its component role, as a child process on ceiling.localhost.</summary>
public sealed class CeilingTarget(bool mucIds) : LoadTarget
{
    private ManagedProcess? _process;

    public override TargetKind Kind => TargetKind.Ceiling;
    public override Jid Room { get; } = Jid.Create(RoomName, LoadServer.CeilingDomain);
    public override int? ComponentPid => _process?.Process.Id;

    public override async Task StartAsync(XmppServer server, CancellationToken ct)
    {
        var self = typeof(CeilingComponent).Assembly.Location;
        _process = ManagedProcess.Start("dotnet",
            [self, .. CeilingComponent.Arguments(server.ComponentPortFor(LoadServer.CeilingDomain), LoadServer.CeilingDomain, mucIds)],
            environment: new Dictionary<string, string> { [CeilingComponent.SecretVariable] = server.Secret });
        if (!await _process.WaitForOutputAsync(CeilingComponent.ReadyLine, TimeSpan.FromSeconds(30)))
            throw new InvalidOperationException($"the ceiling component did not connect:\n{_process.Output}");
    }

    public override async ValueTask DisposeAsync()
    {
        if (_process is null) return;
        await _process.StopAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }
}
