using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using XmppGroupChat.Archive;
using XmppGroupChat.Tests.Unit.Archive.Engines;

namespace XmppGroupChat.Benchmarks;

/// <summary>
/// The archive engines side by side: each benchmark case names one storage set-up. <c>sqlite</c> and
/// <c>litedb</c> acknowledge once the commit is in the OS's hands (survives kill -9); <c>-fsync</c>
/// also flushes it to the disk per commit (survives power loss); <c>postgresql</c> is a PostgreSQL 15
/// server the benchmark starts on loopback (initdb defaults: fsync and synchronous_commit on, so a
/// commit is flushed to its WAL), one database per archive.
/// </summary>
public static class ArchiveBenchEngines
{
    public static readonly string[] Storages = ["sqlite", "sqlite-fsync", "litedb", "litedb-fsync", "postgresql"];

    /// <summary>One of each engine, in their default durability: the MAM and open benchmarks.</summary>
    public static readonly string[] Engines = ["sqlite", "litedb", "postgresql"];

    private static readonly Lazy<PostgreSqlServer> Server = new(() =>
    {
        var server = PostgreSqlServer.StartAsync("bench").GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    });

    /// <summary>A location for a new archive: a file in <paramref name="directory"/>, or a new database.</summary>
    public static string NewTarget(string storage, string directory) => storage switch
    {
        "postgresql" => Server.Value.ConnectionString(Server.Value.CreateDatabaseAsync().GetAwaiter().GetResult()),
        _ => Path.Combine(directory, storage.StartsWith("litedb", StringComparison.Ordinal) ? "archive.litedb" : "archive.db"),
    };

    public static IArchiveStore Open(string storage, string target) => storage switch
    {
        "sqlite" or "sqlite-fsync" => SqliteArchive.OpenAsync(target, NullLogger.Instance,
            new SqliteArchiveOptions { SurvivePowerLoss = storage.EndsWith("-fsync", StringComparison.Ordinal) }).GetAwaiter().GetResult(),
        "litedb" or "litedb-fsync" => LiteDbArchive.OpenAsync(target, NullLogger.Instance,
            new LiteDbArchiveOptions { SurvivePowerLoss = storage.EndsWith("-fsync", StringComparison.Ordinal) }).GetAwaiter().GetResult(),
        "postgresql" => PostgreSqlArchive.OpenAsync(target, NullLogger.Instance).GetAwaiter().GetResult(),
        _ => throw new ArgumentOutOfRangeException(nameof(storage), storage, null),
    };

    /// <summary>Bytes the closed archive takes: its files, or the database's size as PostgreSQL counts it.</summary>
    public static long Size(string storage, string target)
    {
        if (storage != "postgresql")
            return Directory.GetFiles(Path.GetDirectoryName(target)!).Where(f => Path.GetFileName(f).StartsWith("archive", StringComparison.Ordinal))
                .Sum(f => new FileInfo(f).Length);
        using var connection = new NpgsqlConnection(target + ";Pooling=false");
        connection.Open();
        using (var vacuum = new NpgsqlCommand("VACUUM ANALYZE", connection))
            vacuum.ExecuteNonQuery();
        using var command = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
        return (long)command.ExecuteScalar()!;
    }
}
