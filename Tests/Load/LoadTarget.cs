using XmppGroupChat.Tests.Integration.Infrastructure;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Load;

/// <summary>One thing the driver measures: a room, and whatever must run for it to exist.</summary>
public abstract class LoadTarget : IAsyncDisposable
{
    public const string RoomName = "loadroom";

    public abstract TargetKind Kind { get; }
    public abstract Jid Room { get; }
    /// <summary>The component process behind the room, whose CPU is reported; null for the server's own MUC.</summary>
    public virtual int? ComponentPid => null;

    /// <summary>Starts what the room needs; throws <see cref="TargetUnavailableException"/> when it cannot run here.</summary>
    public virtual Task StartAsync(XmppServer server, CancellationToken ct) => Task.CompletedTask;
    public virtual ValueTask DisposeAsync() => default;

    public static LoadTarget Create(TargetKind kind, LoadOptions o) => kind switch
    {
        TargetKind.ServerMuc => new ServerMucTarget(),
        TargetKind.Ceiling => new CeilingTarget(o.CeilingMucIds),
        TargetKind.Component => new ComponentTarget(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string Name(TargetKind kind) => kind switch
    {
        TargetKind.ServerMuc => "servermuc",
        TargetKind.Ceiling => "ceiling",
        _ => "component",
    };
}

/// <summary>The target cannot be measured in this tree (for example our MUC face does not accept joins yet).</summary>
public sealed class TargetUnavailableException(string message) : Exception(message);

/// <summary>The server's own MUC: Prosody's mod_muc or ejabberd's mod_muc on conference.localhost.</summary>
public sealed class ServerMucTarget : LoadTarget
{
    public override TargetKind Kind => TargetKind.ServerMuc;
    public override Jid Room { get; } = Jid.Create(RoomName, LoadServer.ServerMucDomain);
}
