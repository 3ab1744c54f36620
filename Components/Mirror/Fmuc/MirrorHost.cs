using Microsoft.Extensions.Logging;
using XmppGroupChat.Archive;
using XmppGroupChat.Hosting;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>
/// The mirror's archive (Storage:Engine, under Storage:Path by default) for the life of the process, and the rooms and
/// sessions it held at start-up, read before the link connects.
/// </summary>
public sealed class MirrorHost(StorageSettings storage, ILoggerFactory loggers) : IAsyncDisposable
{
    public const string ArchiveFile = "archive.db";

    private IArchiveStore? _archive;

    public MirrorStore Store => new(_archive ?? throw new InvalidOperationException("the mirror's archive is not open"));
    public IReadOnlyList<MirrorStore.StoredRoom> Restored { get; private set; } = [];

    public async Task OpenAsync(CancellationToken ct)
    {
        _archive = await storage.OpenArchiveAsync(loggers, ct);
        Restored = await Store.LoadAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_archive != null) await _archive.DisposeAsync();
    }
}
