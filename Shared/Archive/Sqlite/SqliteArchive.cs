using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace XmppGroupChat.Archive;

/// <summary>
/// The embedded store: message archive (MAM) and room state in one SQLite file, in WAL mode.
/// One writer connection behind a group-commit queue (<see cref="SqliteBatchWriter"/>) does every
/// write; queries use pooled read connections, which WAL lets run beside the writer.
/// Every acknowledged write (a completed AppendAsync or Save/Delete task) has been committed, so it
/// survives kill -9 of the process; see <see cref="SqliteArchiveOptions.SurvivePowerLoss"/> for power loss.
/// One process should own a file; a second one (or a backup tool) is tolerated, not optimised for.
/// </summary>
public sealed partial class SqliteArchive : IArchiveStore, IGroupCommitted
{
    private readonly SqliteConnection _writeConnection;
    private readonly SqliteBatchWriter _batches;
    private readonly GroupCommitQueue _writer;
    private readonly ReadSessionPool _reads;
    private readonly ILogger _logger;
    private int _disposed;

    private SqliteArchive(string path, SqliteConnection writeConnection, ILogger logger, SqliteArchiveOptions options)
    {
        Path = path;
        _logger = logger;
        _writeConnection = writeConnection;
        _batches = new SqliteBatchWriter(writeConnection, path, logger);
        _writer = new GroupCommitQueue(path, logger, options, _batches);
        _reads = new ReadSessionPool(path, options.IdleReadConnections);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    public ArchiveEngine Engine => ArchiveEngine.Sqlite;

    public string Location => Path;

    /// <summary>Opens (creating if needed) the archive file at <paramref name="path"/> and brings its schema up to date.</summary>
    public static Task<SqliteArchive> OpenAsync(string path, ILogger logger, CancellationToken cancellationToken = default) =>
        OpenAsync(path, logger, new SqliteArchiveOptions(), cancellationToken);

    /// <inheritdoc cref="OpenAsync(string, ILogger, CancellationToken)"/>
    public static Task<SqliteArchive> OpenAsync(string path, ILogger logger, SqliteArchiveOptions options, CancellationToken cancellationToken = default) =>
        OpenAsync(path, logger, options, schemaVersion: null, cancellationToken);

    /// <summary>Opens at a given schema version: for the upgrade tests, which need a file as an older program left it.</summary>
    internal static Task<SqliteArchive> OpenAsync(string path, ILogger logger, SqliteArchiveOptions options, int? schemaVersion, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        // Opening may replay a large WAL and run migrations: off the caller's thread.
        return Task.Run(() =>
        {
            var fullPath = System.IO.Path.GetFullPath(path);
            if (System.IO.Path.GetDirectoryName(fullPath) is { } directory)
                Directory.CreateDirectory(directory);
            SqliteConnection? connection = null;
            try
            {
                connection = SqliteConnections.Open(fullPath, writer: true, options.SurvivePowerLoss);
                var version = SqliteSchema.Migrate(connection, fullPath, logger, schemaVersion);
                var archive = new SqliteArchive(fullPath, connection, logger, options);
                ArchiveLog.Opened(logger, fullPath, version, options.SurvivePowerLoss ? "FULL" : "NORMAL");
                return archive;
            }
            catch (SqliteException e) when (e.SqliteErrorCode is SQLitePCL.raw.SQLITE_NOTADB or SQLitePCL.raw.SQLITE_CORRUPT)
            {
                connection?.Dispose();
                var message = $"{fullPath} is not an SQLite archive, or it is damaged ({e.Message}). Restore it from a backup, or set Storage:Path to another directory.";
                ArchiveLog.CannotOpen(logger, fullPath, message);
                throw new ArchiveOpenException(fullPath, message, e);
            }
            catch (ArchiveOpenException e)
            {
                connection?.Dispose();
                ArchiveLog.CannotOpen(logger, fullPath, e.Message);
                throw;
            }
            catch
            {
                connection?.Dispose();
                throw;
            }
        }, cancellationToken);
    }

    /// <summary>Lets queued writes commit, then closes every connection (the WAL is checkpointed into the file).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _writer.StopAsync().ConfigureAwait(false);
        _batches.DisposeCommands();
        _writeConnection.Dispose();
        _reads.Dispose();
        ArchiveLog.Closed(_logger, Path);
    }

    /// <summary>Committed batches and writes since open.</summary>
    public ArchiveWriteStats WriteStats => _writer.Stats;

    GroupCommitQueue IGroupCommitted.Writes => _writer;

    /// <summary>Runs a write on the writer thread, in the next batch; completes after its commit.</summary>
    internal Task<T> RunWriteAsync<T>(Func<SqliteBatchWriter, T> operation, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        return _writer.RunAsync(() => operation(_batches), cancellationToken);
    }

    /// <summary>Runs a read on a pooled read connection, on the caller's thread: a query takes milliseconds, less than a hop to another thread would save.</summary>
    private T Read<T>(Func<ReadSession, T> read, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        var session = _reads.Rent();
        var broken = false;
        try
        {
            return read(session);
        }
        catch (SqliteException)
        {
            broken = true;
            throw;
        }
        finally
        {
            _reads.Return(session, broken);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
