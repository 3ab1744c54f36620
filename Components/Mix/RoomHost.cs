using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Archive;
using XmppGroupChat.Hosting;
using XmppGroupChat.Mix.Delivery;
using XmppGroupChat.Mix.Rooms;

namespace XmppGroupChat.Mix;

/// <summary>
/// The room host's state for the life of the process: the archive (one SQLite file under
/// Storage:Path), the rooms loaded from it, and the delivery loop. Opened before the links
/// connect; the delivery loop runs until shutdown, and the archive is flushed and closed last.
/// </summary>
public sealed class RoomHost(StorageSettings storage, ILoggerFactory loggers) : BackgroundService, IAsyncDisposable
{
    private IArchiveStore? _archive;

    public IArchiveStore Archive => _archive ?? throw new InvalidOperationException("the room host is not started");
    public RoomRegistry Rooms { get; private set; } = null!;
    public XmppGroupChat.Mix.Mix.Invitations Invitations { get; private set; } = null!;

    /// <summary>The key behind XEP-0421 occupant ids (stable across restarts, so ids are too).</summary>
    public byte[] OccupantIdKey { get; private set; } = [];

    /// <summary>The two faces, set as their links are wired; each reaches the other through these.</summary>
    public XmppGroupChat.Mix.Mix.MixService? MixFace { get; set; }
    public XmppGroupChat.Mix.Muc.RoomMessages? MucFace { get; set; }
    public Broadcaster Broadcaster { get; } = new(loggers.CreateLogger<Broadcaster>());

    public async Task OpenAsync(CancellationToken ct)
    {
        _archive = await storage.OpenArchiveAsync(loggers, ct);
        Rooms = new RoomRegistry(_archive, loggers.CreateLogger<RoomRegistry>());
        Invitations = XmppGroupChat.Mix.Mix.Invitations.LoadOrCreate(Path.Combine(storage.Path, "invitation.key"));
        OccupantIdKey = XmppGroupChat.Mix.Mix.Invitations.LoadOrCreateKey(Path.Combine(storage.Path, "occupant-id.key"));
        await Rooms.LoadAsync(ct);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Broadcaster.RunAsync(stoppingToken);

    public async ValueTask DisposeAsync()
    {
        if (_archive != null) await _archive.DisposeAsync();
        base.Dispose();
    }
}
