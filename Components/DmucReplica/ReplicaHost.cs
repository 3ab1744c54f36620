using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Archive;
using XmppGroupChat.Component;
using XmppGroupChat.DmucReplica.Dmuc;
using XmppGroupChat.Hosting;

namespace XmppGroupChat.DmucReplica;

/// <summary>
/// The replica's state for the life of the process: the archive (Storage:Engine, under Storage:Path by default; holding
/// the replicated rooms and their history), the rooms restored from it, and the keepalive loop.
/// Restored rooms register again with their primaries on the loop's first tick.
/// </summary>
public sealed class ReplicaHost(StorageSettings storage, Microsoft.Extensions.Configuration.IConfiguration config, ILoggerFactory loggers)
    : BackgroundService, IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger("XmppGroupChat.Dmuc");
    private readonly TaskCompletionSource<Keepalive> _attached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IArchiveStore? _archive;
    private ReplicaService? _service;
    private readonly ReplicaRooms _rooms = new();
    private byte[] _sessionKey = [];

    /// <summary>Opens the archive and restores the rooms it holds, before the link connects.</summary>
    public async Task OpenAsync(CancellationToken ct)
    {
        _archive = await storage.OpenArchiveAsync(loggers, ct);
        _sessionKey = ReplicaAddress.LoadOrCreateKey(Path.Combine(storage.Path, "session-id.key"));
        var domain = ComponentSettings.Read(config).Domain;
        var restored = await new ReplicaStore(_archive, _archive).LoadAsync(Addresses(XmppGroupChat.Xmpp.Jid.Parse(domain)), ct);
        foreach (var room in restored) _rooms.Add(room);
        if (restored.Count > 0)
            Log.Restored(_logger, restored.Count, restored.Sum(r => r.Sessions.Count), restored.Sum(r => r.Pending.Count));
    }

    private ReplicaAddress Addresses(XmppGroupChat.Xmpp.Jid domain) => new(domain, _sessionKey);

    /// <summary>The replica behind the link, called as the link is wired.</summary>
    public ReplicaService CreateService(IStanzaSender sender)
    {
        var archive = _archive ?? throw new InvalidOperationException("the replica's archive is not open");
        var settings = ReplicaSettings.Read(config, sender.Domain.ToString());
        _service = new ReplicaService(_rooms, new ReplicaStore(archive, archive), sender, Addresses(sender.Domain), settings, TimeProvider.System, _logger);
        return _service;
    }

    public void Attach(Keepalive keepalive) => _attached.TrySetResult(keepalive);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Keepalive keepalive;
        try
        {
            keepalive = await _attached.Task.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        using var timer = new PeriodicTimer(_service!.Settings.Tick);
        try
        {
            do
            {
                try
                {
                    await keepalive.TickAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.Failed(_logger, ex, "a keepalive round", "every room");
                }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_service != null) await _service.BackgroundDone.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
        if (_archive != null) await _archive.DisposeAsync();
        base.Dispose();
    }
}
