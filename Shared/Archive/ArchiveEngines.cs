using Microsoft.Extensions.Logging;

namespace XmppGroupChat.Archive;

/// <summary>
/// The one place that knows every engine: their names in settings (<c>Storage:Engine</c>), their file
/// names, which one is the default, and how to open each (<see cref="OpenAsync"/>).
/// </summary>
public static class ArchiveEngines
{
    /// <summary>
    /// The engine used when <c>Storage:Engine</c> is not set: SQLite, because LiteDB misses the
    /// archive's floor of 20,000 appends/s under concurrency on the reference machine (docs/perf.md).
    /// </summary>
    public const ArchiveEngine Default = ArchiveEngine.Sqlite;

    public static string Name(ArchiveEngine engine) => engine switch
    {
        ArchiveEngine.LiteDb => "litedb",
        ArchiveEngine.Sqlite => "sqlite",
        ArchiveEngine.PostgreSql => "postgresql",
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, null),
    };

    public static bool TryParse(string name, out ArchiveEngine engine)
    {
        foreach (var candidate in Enum.GetValues<ArchiveEngine>())
        {
            if (string.Equals(name.Trim(), Name(candidate), StringComparison.OrdinalIgnoreCase))
            {
                engine = candidate;
                return true;
            }
        }
        engine = default;
        return false;
    }

    /// <summary>The file an embedded engine keeps under Storage:Path; null for PostgreSQL.</summary>
    public static string? FileName(ArchiveEngine engine) => engine switch
    {
        ArchiveEngine.LiteDb => "archive.litedb",
        ArchiveEngine.Sqlite => "archive.db",
        _ => null,
    };

    /// <summary>Opens the archive at <paramref name="location"/>, creating it (and its schema) if needed.</summary>
    /// <exception cref="ArchiveOpenException">The location cannot serve as an archive (logged with its reason).</exception>
    public static async Task<IArchiveStore> OpenAsync(ArchiveLocation location, ILoggerFactory loggers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(loggers);
        return location.Engine switch
        {
            ArchiveEngine.LiteDb => await LiteDbArchive.OpenAsync(location.Target, loggers.CreateLogger<LiteDbArchive>(), cancellationToken: cancellationToken).ConfigureAwait(false),
            ArchiveEngine.Sqlite => await SqliteArchive.OpenAsync(location.Target, loggers.CreateLogger<SqliteArchive>(), cancellationToken).ConfigureAwait(false),
            ArchiveEngine.PostgreSql => await PostgreSqlArchive.OpenAsync(location.Target, loggers.CreateLogger<PostgreSqlArchive>(), cancellationToken: cancellationToken).ConfigureAwait(false),
            _ => throw new ArgumentOutOfRangeException(nameof(location), location.Engine, null),
        };
    }
}
