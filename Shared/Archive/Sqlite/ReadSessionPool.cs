using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace XmppGroupChat.Archive;

/// <summary>
/// A read connection with its prepared statements. WAL lets any number of these read while the
/// writer commits; each sees the database as of the start of its statement's read transaction.
/// </summary>
internal sealed class ReadSession : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public ReadSession(SqliteConnection connection) => Connection = connection;

    public SqliteConnection Connection { get; }

    /// <summary>The read transaction of <see cref="Snapshot"/>, applied to every command while it lasts.</summary>
    private SqliteTransaction? Transaction { get; set; }

    /// <summary>
    /// Runs <paramref name="read"/> in one read transaction, so all its statements see the same
    /// snapshot of the file (WAL keeps it stable while the writer commits): a page, its count and its
    /// first index then agree even if an archive is deleted meanwhile.
    /// </summary>
    public T Snapshot<T>(Func<ReadSession, T> read)
    {
        using var transaction = Connection.BeginTransaction(deferred: true);
        Transaction = transaction;
        try
        {
            var result = read(this);
            transaction.Commit();
            return result;
        }
        finally
        {
            Transaction = null;
        }
    }

    /// <summary>
    /// The command for <paramref name="sql"/>, created once per connection: Microsoft.Data.Sqlite keeps
    /// a command's compiled statement while its text is unchanged, so reuse skips SQL compilation.
    /// Parameters are added by the first caller and only re-valued after.
    /// </summary>
    public SqliteCommand Command(string sql, Action<SqliteParameterCollection> addParameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            addParameters(command.Parameters);
            command.Prepare();
            _commands.Add(sql, command);
        }
        command.Transaction = Transaction;
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
            command.Dispose();
        _commands.Clear();
        Connection.Dispose();
    }
}

/// <summary>
/// Read connections for queries. A query rents one for its duration (a session is used by one
/// thread at a time); up to <c>idle</c> stay open afterwards, extra ones opened under load are closed.
/// </summary>
internal sealed class ReadSessionPool(string path, int idle) : IDisposable
{
    private readonly ConcurrentBag<ReadSession> _idle = [];
    private int _idleCount;
    private volatile bool _disposed;

    public ReadSession Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var session))
        {
            Interlocked.Decrement(ref _idleCount);
            return session;
        }
        return new ReadSession(SqliteConnections.Open(path, writer: false));
    }

    /// <summary>Gives a session back; <paramref name="broken"/> ones (a statement threw) are closed, not reused.</summary>
    public void Return(ReadSession session, bool broken = false)
    {
        if (broken || _disposed)
        {
            session.Dispose();
            return;
        }
        if (Interlocked.Increment(ref _idleCount) > idle)
        {
            Interlocked.Decrement(ref _idleCount);
            session.Dispose();
            return;
        }
        _idle.Add(session);
        // A Dispose that ran between the check and the Add would miss this session.
        if (_disposed && _idle.TryTake(out var late))
            late.Dispose();
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var session))
            session.Dispose();
    }
}
