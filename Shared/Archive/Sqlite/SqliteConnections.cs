using Microsoft.Data.Sqlite;

namespace XmppGroupChat.Archive;

/// <summary>Opens the archive's connections with the settings every one of them needs.</summary>
internal static class SqliteConnections
{
    // SQLite needs its native provider chosen once per process before the first connection.
    private static readonly Lazy<bool> Initialised = new(() =>
    {
        SQLitePCL.Batteries_V2.Init();
        return true;
    });

    /// <summary>
    /// Pooling is off: this class keeps its own connections (one writer, a few readers) with their
    /// prepared statements, and without a hidden pool a disposed archive has really closed the file
    /// (it can then be moved or deleted, and the WAL is checkpointed on the last close).
    /// </summary>
    public static SqliteConnection Open(string path, bool writer, bool survivePowerLoss = false)
    {
        _ = Initialised.Value;
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = writer ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            // busy_timeout: a reader may meet a checkpoint, and another process (a backup, a second
            // instance by mistake) may hold the write lock for a moment; wait instead of failing.
            var pragmas = "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA cache_size = -16000;";
            if (writer)
            {
                // WAL: readers never block the writer nor the writer them, and a commit is one
                // sequential append to the -wal file.
                // synchronous: see SqliteArchiveOptions.SurvivePowerLoss. In WAL mode NORMAL does not
                // fsync on commit, yet a committed transaction is in the OS's page cache once COMMIT
                // returns, so it survives kill -9 of this process; only power loss or a kernel crash
                // can lose the last commits, and the file stays consistent either way. That is the
                // durability IRoomStore/IMessageArchive promise ("survives kill -9 of the process").
                // wal_autocheckpoint: a checkpoint (copying WAL pages back into the file, run by the
                // committing writer) every 10,000 pages (~40 MB) instead of SQLite's 1,000. Appends
                // from many senders dirty index pages all over the (archive, sender, seq) index; a
                // page rewritten by many batches is then copied back once per interval, not once per
                // 4 MB. Measured on the 2-core benchmark machine: about half the cost per append
                // under load. The price: a larger -wal file and a longer pause at each checkpoint.
                // journal_size_limit: the -wal file is truncated back to 64 MiB after checkpoints
                // instead of keeping the size of the largest burst.
                pragmas += "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 10000; PRAGMA journal_size_limit = 67108864; "
                           + (survivePowerLoss ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;");
            }
            using var command = connection.CreateCommand();
            command.CommandText = pragmas;
            using (var reader = command.ExecuteReader())
            {
                // journal_mode answers with a row; drain every statement's result.
                do { while (reader.Read()) { } } while (reader.NextResult());
            }
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
