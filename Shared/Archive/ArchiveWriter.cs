using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace XmppGroupChat.Archive;

/// <summary>
/// The archive's only writer: group commit over one connection.
/// <para>
/// Every write (appends and all other changes) goes through one bounded queue. A dedicated thread
/// takes whatever is queued (up to <see cref="SqliteArchiveOptions.MaxBatch"/>), writes it all in
/// one transaction, commits, and only then completes each caller. Under load a commit's fixed cost
/// is shared by hundreds of writes; when idle a lone write is committed at once (no timer, no
/// added latency). One writer also means no SQLITE_BUSY between our own writers, and a single
/// place that assigns positions and stamps in commit order.
/// </para>
/// <para>
/// A dedicated thread rather than a pool task, because SQLite calls block: a commit must not take
/// a thread-pool thread away from the stanza handlers on a 2-core machine.
/// </para>
/// </summary>
internal sealed class ArchiveWriter
{
    private const string InsertSql =
        "INSERT INTO messages (archive, id, pos, stamp, sender, nick, stanza, retracted) " +
        "VALUES ($archive, $id, $pos, $stamp, $sender, $nick, $stanza, 0)";

    private readonly SqliteConnection _connection;
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly int _maxBatch;
    private readonly Channel<WriteItem> _queue;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly SqliteCommand _insert;
    private readonly SqliteParameter _pArchive, _pId, _pPos, _pStamp, _pSender, _pNick, _pStanza;
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    // Next position per archive, valid for this connection's view of the file (see CheckForeignChanges).
    private readonly Dictionary<string, long> _nextPosition = new(StringComparer.Ordinal);
    private long _lastStamp;
    private long _dataVersion;
    private SqliteTransaction? _transaction;
    private long _batches;
    private long _committedItems;
    private long _busyTicks;

    public ArchiveWriter(SqliteConnection connection, string path, ILogger logger, SqliteArchiveOptions options)
    {
        _connection = connection;
        _path = path;
        _logger = logger;
        _maxBatch = options.MaxBatch;
        _queue = Channel.CreateBounded<WriteItem>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
            AllowSynchronousContinuations = false,
        });

        _insert = connection.CreateCommand();
        _insert.CommandText = InsertSql;
        _pArchive = _insert.Parameters.Add("$archive", SqliteType.Text);
        _pId = _insert.Parameters.Add("$id", SqliteType.Text);
        _pPos = _insert.Parameters.Add("$pos", SqliteType.Integer);
        _pStamp = _insert.Parameters.Add("$stamp", SqliteType.Integer);
        _pSender = _insert.Parameters.Add("$sender", SqliteType.Text);
        _pNick = _insert.Parameters.Add("$nick", SqliteType.Text);
        _pStanza = _insert.Parameters.Add("$stanza", SqliteType.Blob);
        _insert.Prepare();

        _dataVersion = ReadDataVersion();
        _lastStamp = ReadLastStamp();

        _thread = new Thread(Run) { IsBackground = true, Name = "archive-writer" };
        _thread.Start();
    }

    public ValueTask<ArchivedMessage> AppendAsync(AppendItem item)
    {
        var enqueued = EnqueueAsync(item);
        return enqueued.IsCompletedSuccessfully ? new ValueTask<ArchivedMessage>(item.Task) : AwaitBoth(enqueued, item);

        static async ValueTask<ArchivedMessage> AwaitBoth(ValueTask enqueued, AppendItem item)
        {
            await enqueued.ConfigureAwait(false);
            return await item.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Runs <paramref name="operation"/> on the writer thread inside a batch; completes after the commit.</summary>
    public async Task<T> RunAsync<T>(Func<ArchiveWriter, T> operation, CancellationToken cancellationToken)
    {
        var item = new OperationItem<T>(operation, cancellationToken);
        await EnqueueAsync(item).ConfigureAwait(false);
        return await item.Task.ConfigureAwait(false);
    }

    /// <summary>Refuses new writes, lets the queued ones commit, and ends the thread.</summary>
    public Task StopAsync()
    {
        _queue.Writer.TryComplete();
        return _stopped.Task;
    }

    /// <summary>After <see cref="StopAsync"/>: releases the statements (the connection belongs to the archive).</summary>
    public void DisposeCommands()
    {
        _insert.Dispose();
        foreach (var command in _commands.Values)
            command.Dispose();
        _commands.Clear();
    }

    /// <summary>Committed batches and the writes in them since open: their ratio is the mean batch size.</summary>
    public ArchiveWriteStats Stats => new(Interlocked.Read(ref _batches), Interlocked.Read(ref _committedItems),
        Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _busyTicks)));

    // ---- for operations running on the writer thread ----

    /// <summary>
    /// A prepared command for <paramref name="sql"/>, kept for the writer's lifetime and bound to the
    /// current transaction. <paramref name="addParameters"/> runs only when it is first created.
    /// </summary>
    public SqliteCommand Command(string sql, Action<SqliteParameterCollection> addParameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            addParameters(command.Parameters);
            command.Prepare();
            _commands.Add(sql, command);
        }
        command.Transaction = _transaction;
        return command;
    }

    /// <summary>
    /// The cached statement for <paramref name="sql"/>, its parameters declared (on first use) and
    /// bound from one list of name, type and value (null binds NULL). For the rarer writes; the
    /// message append binds its cached command by hand, so it allocates nothing per message.
    /// </summary>
    public SqliteCommand Bind(string sql, params (string Name, SqliteType Type, object? Value)[] parameters)
    {
        var command = Command(sql, p =>
        {
            foreach (var (name, type, _) in parameters) p.Add(name, type);
        });
        for (var i = 0; i < parameters.Length; i++) command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
        return command;
    }

    /// <summary>An archive's rows were deleted: its positions start again from the table.</summary>
    public void ForgetArchive(string archive) => _nextPosition.Remove(archive);

    // ---- the writer thread ----

    private ValueTask EnqueueAsync(WriteItem item)
    {
        if (_queue.Writer.TryWrite(item))
            return default;
        return Slow(item);

        async ValueTask Slow(WriteItem item)
        {
            try
            {
                await _queue.Writer.WriteAsync(item, item.CancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException closed) when (closed.InnerException is { } cause)
            {
                // The writer thread stopped on an unexpected error (see Run): say so, not "closed".
                throw new InvalidOperationException($"The archive {_path} stopped writing after an error.", cause);
            }
            catch (ChannelClosedException)
            {
                throw new ObjectDisposedException(nameof(SqliteArchive), $"The archive {_path} is closed.");
            }
        }
    }

    private void Run()
    {
        var reader = _queue.Reader;
        var batch = new List<WriteItem>(_maxBatch);
        try
        {
            while (WaitToRead(reader))
            {
                while (batch.Count < _maxBatch && reader.TryRead(out var item))
                {
                    // Still queued, so not written: a cancelled caller can be told so truthfully.
                    if (item.CancellationToken.IsCancellationRequested)
                        item.Cancel();
                    else
                        batch.Add(item);
                }
                if (batch.Count > 0)
                {
                    var started = Stopwatch.GetTimestamp();
                    WriteBatch(batch);
                    Interlocked.Add(ref _busyTicks, Stopwatch.GetTimestamp() - started);
                    batch.Clear();
                }
            }
        }
        catch (Exception e)
        {
            // WriteBatch handles SQLite errors itself; this is a bug. Nobody may wait forever.
            _queue.Writer.TryComplete(e);
            foreach (var item in batch)
                item.Fail(e);
            while (reader.TryRead(out var item))
                item.Fail(e);
            ArchiveLog.BatchFailed(_logger, e, _path, batch.Count);
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private static bool WaitToRead(ChannelReader<WriteItem> reader)
    {
        var wait = reader.WaitToReadAsync();
        return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    private void WriteBatch(List<WriteItem> batch)
    {
        try
        {
            // IMMEDIATE: take the write lock now, so what CheckForeignChanges reads cannot change
            // before the inserts that rely on it.
            using var transaction = _connection.BeginTransaction(deferred: false);
            _transaction = transaction;
            CheckForeignChanges();
            foreach (var item in batch)
            {
                if (item is AppendItem append)
                    Insert(append);
                else
                    RunIsolated((OperationItem)item, transaction);
            }
            transaction.Commit();
        }
        catch (Exception e)
        {
            // Nothing of the batch is on disk: positions handed out in it are void, and every caller
            // gets the error (an operation that already failed keeps its own).
            _nextPosition.Clear();
            ArchiveLog.BatchFailed(_logger, e, _path, batch.Count);
            foreach (var item in batch)
                item.Fail(e);
            return;
        }
        finally
        {
            _transaction = null;
        }
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _committedItems, batch.Count);
        foreach (var item in batch)
            item.Succeed();
    }

    private void Insert(AppendItem item)
    {
        var position = NextPosition(item.Archive);
        // Stamps never decrease along seq, even if the clock steps back: queries rely on a time
        // range being a seq range. The stamp is taken here, at the write, so that it holds.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (now < _lastStamp)
            now = _lastStamp;
        _lastStamp = now;
        item.Stamp = now;

        _pArchive.Value = item.Archive;
        _pId.Value = item.Id;
        _pPos.Value = position;
        _pStamp.Value = now;
        _pSender.Value = item.Sender;
        _pNick.Value = (object?)item.Nick ?? DBNull.Value;
        _pStanza.Value = item.Stanza;
        _insert.Transaction = _transaction;
        _insert.ExecuteNonQuery();
        _nextPosition[item.Archive] = position + 1;
    }

    private void RunIsolated(OperationItem operation, SqliteTransaction transaction)
    {
        transaction.Save("op");
        try
        {
            operation.Run(this);
        }
        catch (Exception e)
        {
            // The operation's own failure (a taken nick, a missing room): undo its changes only.
            // If even the rollback fails, the connection is in trouble and the batch fails.
            transaction.Rollback("op");
            transaction.Release("op");
            operation.Fail(e);
            return;
        }
        transaction.Release("op");
    }

    private long NextPosition(string archive)
    {
        if (_nextPosition.TryGetValue(archive, out var next))
            return next;
        var command = Command("SELECT pos FROM messages WHERE archive = $archive ORDER BY seq DESC LIMIT 1",
            p => p.Add("$archive", SqliteType.Text));
        command.Parameters[0].Value = archive;
        var last = command.ExecuteScalar();
        return last is null or DBNull ? 0 : (long)last + 1;
    }

    /// <summary>
    /// data_version changes when another connection (another process on the same file, say) has
    /// committed since we last looked. Our cached positions and last stamp may then be stale, so
    /// they are reloaded; with a single process this is one cheap PRAGMA per batch.
    /// </summary>
    private void CheckForeignChanges()
    {
        var version = ReadDataVersion();
        if (version == _dataVersion)
            return;
        _dataVersion = version;
        _nextPosition.Clear();
        _lastStamp = Math.Max(_lastStamp, ReadLastStamp());
        ArchiveLog.ChangedElsewhere(_logger, _path);
    }

    private long ReadDataVersion()
    {
        var command = Command("PRAGMA data_version", _ => { });
        return (long)command.ExecuteScalar()!;
    }

    private long ReadLastStamp()
    {
        var command = Command("SELECT stamp FROM messages ORDER BY seq DESC LIMIT 1", _ => { });
        return command.ExecuteScalar() is long stamp ? stamp : 0;
    }
}
