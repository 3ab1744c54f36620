using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Archive;
using XmppGroupChat.Component;

namespace XmppGroupChat.Hosting;

/// <summary>
/// Where a program keeps its data, the same keys in all three programs: <c>Storage:Path</c>, the
/// directory for its files (keys, and the archive file of an embedded engine); <c>Storage:Engine</c>,
/// <c>litedb</c> | <c>sqlite</c> | <c>postgresql</c> (<see cref="ArchiveEngines.Default"/> when not set);
/// <c>Storage:ConnectionString</c>, the PostgreSQL database (required with <c>postgresql</c>).
/// </summary>
/// <param name="Engine">The engine chosen in the settings; null when Storage:Engine is not set.</param>
public sealed record StorageSettings(string Path, ArchiveEngine? Engine = null, string? ConnectionString = null)
{
    public static StorageSettings Read(IConfiguration config, string programName)
    {
        var path = config["Storage:Path"];
        if (string.IsNullOrWhiteSpace(path)) path = System.IO.Path.Combine("data", programName);
        path = System.IO.Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(path);
            // Fail at start-up, not at the first message, when the directory is not writable.
            var probe = System.IO.Path.Combine(path, ".write-test");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ComponentConfigurationException($"Storage:Path '{path}' is not a writable directory: {ex.Message}");
        }

        ArchiveEngine? engine = null;
        if (config["Storage:Engine"] is { } name && !string.IsNullOrWhiteSpace(name))
        {
            if (!ArchiveEngines.TryParse(name, out var parsed))
                throw new ComponentConfigurationException($"Storage:Engine '{name}' is not an engine: use litedb, sqlite or postgresql.");
            engine = parsed;
        }
        var connectionString = config["Storage:ConnectionString"];
        if (engine == ArchiveEngine.PostgreSql && string.IsNullOrWhiteSpace(connectionString))
            throw new ComponentConfigurationException("Storage:Engine is postgresql but Storage:ConnectionString is not set (for example Host=db.example.org;Database=mix;Username=mix;Password=...).");
        return new StorageSettings(path, engine, string.IsNullOrWhiteSpace(connectionString) ? null : connectionString);
    }

    /// <summary>
    /// Where the archive is. When Storage:Engine is not set and Storage:Path holds the SQLite file of
    /// a version whose default was SQLite, but no file of the default engine, that SQLite file stays
    /// in use (<paramref name="keptSqlite"/> is true): changing the default never hides a deployment's data.
    /// </summary>
    public ArchiveLocation Archive(out bool keptSqlite)
    {
        keptSqlite = false;
        var engine = Engine ?? ArchiveEngines.Default;
        if (Engine is null && engine != ArchiveEngine.Sqlite
            && File.Exists(System.IO.Path.Combine(Path, ArchiveEngines.FileName(ArchiveEngine.Sqlite)!))
            && (ArchiveEngines.FileName(engine) is not { } file || !File.Exists(System.IO.Path.Combine(Path, file))))
        {
            keptSqlite = true;
            engine = ArchiveEngine.Sqlite;
        }
        return engine == ArchiveEngine.PostgreSql
            ? new ArchiveLocation(engine, ConnectionString!)
            : new ArchiveLocation(engine, System.IO.Path.Combine(Path, ArchiveEngines.FileName(engine)!));
    }

    /// <summary>Opens the program's archive as configured (see <see cref="Archive"/>).</summary>
    public Task<IArchiveStore> OpenArchiveAsync(ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var location = Archive(out var keptSqlite);
        if (keptSqlite)
            ArchiveLog.KeptSqlite(loggers.CreateLogger<StorageSettings>(), location.Target, ArchiveEngines.Default);
        return ArchiveEngines.OpenAsync(location, loggers, cancellationToken);
    }
}
