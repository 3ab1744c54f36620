using System.Globalization;
using LiteDB;
using LiteDB.Engine;
using Microsoft.Extensions.Logging;

namespace XmppGroupChat.Archive;

/// <summary>
/// The archive in one LiteDB file (the design's embedded store): messages (MAM), room state and
/// relay state. Every write goes through group commit (<see cref="GroupCommitQueue"/>,
/// <see cref="LiteDbBatchWriter"/>): one writer thread, one transaction per batch, acknowledged once
/// LiteDB has written the commit to its log file, so an acknowledged write survives kill -9 of the
/// process. Queries run on the caller's thread in a read transaction of their own, which LiteDB lets
/// run beside the writer and which sees one snapshot. LiteDB opens the file for this process alone.
/// </summary>
public sealed partial class LiteDbArchive : IArchiveStore, IGroupCommitted
{
    private readonly FileStream _lock;
    private readonly LiteEngine _engine;
    private readonly LiteDbNames _names;
    private readonly LiteDbBatchWriter _batches;
    private readonly GroupCommitQueue _writer;
    private readonly ILogger _logger;
    private int _disposed;

    private LiteDbArchive(string path, FileStream fileLock, LiteEngine engine, ILogger logger, LiteDbArchiveOptions options)
    {
        Path = path;
        _lock = fileLock;
        _engine = engine;
        _logger = logger;
        _names = new LiteDbNames(engine);
        _batches = new LiteDbBatchWriter(engine, _names, LogPath(path), options.SurvivePowerLoss);
        _writer = new GroupCommitQueue(path, logger, options, _batches);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    public ArchiveEngine Engine => ArchiveEngine.LiteDb;

    public string Location => Path;

    public ArchiveWriteStats WriteStats => _writer.Stats;

    GroupCommitQueue IGroupCommitted.Writes => _writer;

    /// <summary>The engine, for tests that must reach below the archive.</summary>
    internal ILiteEngine Database => _engine;

    /// <summary>Opens (creating if needed) the archive file at <paramref name="path"/> and brings its schema up to date.</summary>
    /// <exception cref="ArchiveOpenException">A damaged or foreign file, one another process holds, or one of a newer program.</exception>
    public static Task<LiteDbArchive> OpenAsync(string path, ILogger logger, LiteDbArchiveOptions? options = null, CancellationToken cancellationToken = default) =>
        OpenAsync(path, logger, options ?? new LiteDbArchiveOptions(), schemaVersion: null, cancellationToken);

    /// <summary>Opens at a given schema version: for the upgrade tests, which need a file as an older program left it.</summary>
    internal static Task<LiteDbArchive> OpenAsync(string path, ILogger logger, LiteDbArchiveOptions options, int? schemaVersion, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        // Opening may replay a large log and run migrations: off the caller's thread.
        return Task.Run(() =>
        {
            var fullPath = System.IO.Path.GetFullPath(path);
            if (System.IO.Path.GetDirectoryName(fullPath) is { } directory)
                Directory.CreateDirectory(directory);
            var fileLock = Lock(fullPath, logger);
            LiteEngine engine;
            try
            {
                engine = OpenEngine(fullPath, logger);
            }
            catch
            {
                fileLock.Dispose();
                throw;
            }
            try
            {
                var version = LiteDbSchema.Migrate(engine, fullPath, logger, schemaVersion);
                var archive = new LiteDbArchive(fullPath, fileLock, engine, logger, options);
                ArchiveLog.Opened(logger, fullPath, version, options.SurvivePowerLoss ? "log fsync per commit" : "log written per commit");
                return archive;
            }
            catch (ArchiveOpenException e)
            {
                engine.Dispose();
                fileLock.Dispose();
                ArchiveLog.CannotOpen(logger, fullPath, e.Message);
                throw;
            }
            catch
            {
                engine.Dispose();
                fileLock.Dispose();
                throw;
            }
        }, cancellationToken);
    }

    /// <summary>
    /// LiteDB's own file sharing does not keep a second writer out on Linux, and two writers would
    /// damage the file: an exclusive lock (flock) on <c>PATH.lock</c> does, for this process and any
    /// other, for as long as the archive is open.
    /// </summary>
    private static FileStream Lock(string path, ILogger logger)
    {
        try
        {
            return new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            var message = $"{path} is in use by another process or archive ({e.Message}); run one process per archive.";
            ArchiveLog.CannotOpen(logger, path, message);
            throw new ArchiveOpenException(path, message, e);
        }
    }

    private static LiteEngine OpenEngine(string path, ILogger logger)
    {
        try
        {
            return new LiteEngine(new EngineSettings
            {
                Filename = path,
                // Ids are case-sensitive and keys compare as bytes: never a culture's rules.
                Collation = new Collation(CultureInfo.InvariantCulture.LCID, CompareOptions.Ordinal),
            });
        }
        catch (Exception e) when (e is LiteException or InvalidCastException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            var message = $"{path} is not a LiteDB archive, or it is damaged ({e.Message}). Restore it from a backup, or set Storage:Path to another directory.";
            ArchiveLog.CannotOpen(logger, path, message);
            throw new ArchiveOpenException(path, message, e);
        }
        catch (IOException e)
        {
            var message = $"{path} cannot be opened ({e.Message}); is another process using it? Run one process per archive.";
            ArchiveLog.CannotOpen(logger, path, message);
            throw new ArchiveOpenException(path, message, e);
        }
    }

    /// <summary>Where LiteDB keeps its log next to the file (it names it so itself).</summary>
    internal static string LogPath(string path) => System.IO.Path.Combine(
        System.IO.Path.GetDirectoryName(path) ?? "",
        System.IO.Path.GetFileNameWithoutExtension(path) + "-log" + System.IO.Path.GetExtension(path));

    /// <summary>Lets queued writes commit, then closes the file (LiteDB copies its log into it).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _writer.StopAsync().ConfigureAwait(false);
        _batches.Dispose();
        _engine.Dispose();
        _lock.Dispose();
        ArchiveLog.Closed(_logger, Path);
    }

    /// <summary>Runs a write on the writer thread, in the next batch; completes after its commit.</summary>
    internal Task<T> RunWriteAsync<T>(Func<LiteDbBatchWriter, T> operation, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        return _writer.RunAsync(() => operation(_batches), cancellationToken);
    }

    /// <summary>
    /// Runs a read on the caller's thread in a read transaction (LiteDB binds transactions to
    /// threads, and a query takes less than a hop to another thread would save): every query in it
    /// sees the same snapshot, so a page, its count and its first index agree.
    /// </summary>
    private Task<T> Read<T>(Func<ILiteEngine, T> read, CancellationToken cancellationToken)
    {
        try
        {
            ThrowIfDisposed();
            cancellationToken.ThrowIfCancellationRequested();
            _engine.BeginTrans();
            try
            {
                return Task.FromResult(read(_engine));
            }
            finally
            {
                _engine.Rollback();
            }
        }
        catch (Exception e)
        {
            return Task.FromException<T>(e);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
