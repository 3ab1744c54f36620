using System.Data;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;

namespace XmppGroupChat.Archive;

/// <summary>
/// The archive in a PostgreSQL database (<c>Storage:ConnectionString</c>), for deployments that
/// outgrow one machine: messages (MAM), room state and relay state in tables, schema migrated on
/// open. Writes go through group commit (<see cref="GroupCommitQueue"/>, <see cref="PostgreSqlBatchWriter"/>)
/// and are acknowledged once PostgreSQL has committed them. Reads use Npgsql's connection pool, each
/// in one snapshot. When PostgreSQL goes away, writes are refused to their senders
/// (<see cref="ArchiveUnavailableException"/>) and the archive reconnects with backoff
/// (<see cref="PostgreSqlReconnect"/>). Each program needs a database, or a schema (<c>Search Path</c>), of its own.
/// </summary>
public sealed partial class PostgreSqlArchive : IArchiveStore, IGroupCommitted
{
    private readonly NpgsqlDataSource _source;
    private readonly PostgreSqlBatchWriter _batches;
    private readonly GroupCommitQueue _writer;
    private readonly ILogger _logger;
    private int _disposed;

    private PostgreSqlArchive(NpgsqlDataSource source, string location, ILogger logger, PostgreSqlArchiveOptions options)
    {
        _source = source;
        Location = location;
        _logger = logger;
        _batches = new PostgreSqlBatchWriter(source, location, logger, PostgreSqlReconnect.Running(location, logger, options));
        _writer = new GroupCommitQueue(location, logger, options, _batches);
    }

    public ArchiveEngine Engine => ArchiveEngine.PostgreSql;

    /// <summary>Host, port, database and schema: the connection string without its password.</summary>
    public string Location { get; }

    public ArchiveWriteStats WriteStats => _writer.Stats;

    GroupCommitQueue IGroupCommitted.Writes => _writer;

    /// <summary>The connection string without secrets, for logs.</summary>
    public static string Describe(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            var schema = string.IsNullOrEmpty(builder.SearchPath) ? "" : $" (schema {builder.SearchPath})";
            return $"{builder.Host}:{builder.Port}/{builder.Database}{schema} as {builder.Username}";
        }
        catch (ArgumentException)
        {
            return "(a connection string Npgsql cannot read)";
        }
    }

    /// <summary>
    /// Connects (waiting with backoff while PostgreSQL is unreachable, each attempt logged) and brings
    /// the schema up to date.
    /// </summary>
    /// <exception cref="ArchiveOpenException">The connection string is malformed or refused, or the database is not this program's.</exception>
    public static Task<PostgreSqlArchive> OpenAsync(string connectionString, ILogger logger, PostgreSqlArchiveOptions? options = null, CancellationToken cancellationToken = default) =>
        OpenAsync(connectionString, logger, options ?? new PostgreSqlArchiveOptions(), schemaVersion: null, cancellationToken);

    /// <summary>Opens at a given schema version: for the upgrade tests, which need a database as an older program left it.</summary>
    internal static async Task<PostgreSqlArchive> OpenAsync(string connectionString, ILogger logger, PostgreSqlArchiveOptions options, int? schemaVersion,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var location = Describe(connectionString);
        NpgsqlDataSource source;
        try
        {
            source = NpgsqlDataSource.Create(connectionString);
        }
        catch (ArgumentException e)
        {
            ArchiveLog.ConnectionRefused(logger, location, e.Message);
            throw new ArchiveOpenException(location, $"Storage:ConnectionString is not a valid PostgreSQL connection string: {e.Message}", e);
        }
        try
        {
            var version = await PostgreSqlReconnect.Startup(location, logger, options).ExecuteAsync(async ct =>
            {
                await using var connection = await source.OpenConnectionAsync(ct).ConfigureAwait(false);
                // Blocking calls: migrations are rare and short, and run before anything else uses the archive.
                return PostgreSqlSchema.Migrate(connection, location, logger, schemaVersion);
            }, cancellationToken).ConfigureAwait(false);
            var archive = new PostgreSqlArchive(source, location, logger, options);
            ArchiveLog.Opened(logger, location, version, "the server's (synchronous_commit)");
            return archive;
        }
        catch (Exception e) when (PostgreSqlFaults.IsConfiguration(e))
        {
            await source.DisposeAsync().ConfigureAwait(false);
            ArchiveLog.ConnectionRefused(logger, location, PostgreSqlFaults.Describe(e));
            throw new ArchiveOpenException(location, $"PostgreSQL refused Storage:ConnectionString ({location}): {PostgreSqlFaults.Describe(e)}", e);
        }
        catch (ArchiveOpenException e)
        {
            await source.DisposeAsync().ConfigureAwait(false);
            ArchiveLog.CannotOpen(logger, location, e.Message);
            throw;
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Lets queued writes commit (or be refused), then closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _writer.StopAsync().ConfigureAwait(false);
        _batches.Dispose();
        await _source.DisposeAsync().ConfigureAwait(false);
        ArchiveLog.Closed(_logger, Location);
    }

    /// <summary>Runs a write on the writer thread, in the next batch; completes after its commit.</summary>
    internal Task<T> RunWriteAsync<T>(Func<PostgreSqlBatchWriter, T> operation, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        return _writer.RunAsync(() => operation(_batches), cancellationToken);
    }

    /// <summary>Runs a read on a pooled connection in one REPEATABLE READ, read-only snapshot.</summary>
    private async Task<T> ReadAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
            var result = await read(connection, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (Exception e) when (PostgreSqlFaults.IsUnavailable(e) && e is not ArchiveUnavailableException)
        {
            throw new ArchiveUnavailableException($"PostgreSQL at {Location} cannot be reached: {PostgreSqlFaults.Describe(e)}", e);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
