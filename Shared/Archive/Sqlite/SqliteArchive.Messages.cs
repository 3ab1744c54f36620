using Microsoft.Data.Sqlite;

namespace XmppGroupChat.Archive;

/// <summary>The message archive (IMessageArchive) over the writer queue and the read pool.</summary>
public sealed partial class SqliteArchive
{
    /// <summary>
    /// Queues the message for the next group commit and completes once that commit is done. The
    /// id is made here; the stamp (UTC, ms) when the writer inserts it, a moment later, so that stamps
    /// follow commit order. Cancellation is honoured while the message is still queued (it is then
    /// not stored); once it is being written the append completes normally.
    /// </summary>
    public ValueTask<ArchivedMessage> AppendAsync(string archive, MessageDraft message, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(archive);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(message.SenderBareJid);
        ArgumentNullException.ThrowIfNull(message.Stanza);
        ThrowIfDisposed();
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled<ArchivedMessage>(cancellationToken);

        // Serialising and copying happen on the caller's thread, in parallel across callers; the
        // writer thread, the bottleneck, only binds and inserts.
        return _writer.AppendAsync(AppendItem.For(archive, message, cancellationToken));
    }

    /// <summary>One page; see <see cref="SqliteMessagePager"/> for the semantics of each field of the query.</summary>
    public Task<ArchivePage> QueryAsync(string archive, ArchiveQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(archive);
        ArgumentNullException.ThrowIfNull(query);
        try
        {
            return Task.FromResult(Read(session => session.Snapshot(s => SqliteMessagePager.Query(s, archive, query, cancellationToken)), cancellationToken));
        }
        catch (Exception e)
        {
            return Task.FromException<ArchivePage>(e);
        }
    }

    private const string GetSql = "SELECT stamp, sender, nick, stanza, retracted FROM messages WHERE id = $id AND archive = $archive";

    /// <summary>One message by id, through the same unique index the RSM anchors use; null when absent from this archive.</summary>
    public Task<ArchivedMessage?> GetAsync(string archive, string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(archive);
        ArgumentException.ThrowIfNullOrEmpty(id);
        try
        {
            return Task.FromResult(Read(session => ReadOne(session, archive, id), cancellationToken));
        }
        catch (Exception e)
        {
            return Task.FromException<ArchivedMessage?>(e);
        }
    }

    private static ArchivedMessage? ReadOne(ReadSession session, string archive, string id)
    {
        var command = session.Command(GetSql, p =>
        {
            p.Add("$id", SqliteType.Text);
            p.Add("$archive", SqliteType.Text);
        });
        command.Parameters[0].Value = id;
        command.Parameters[1].Value = archive;
        using var reader = command.ExecuteReader();
        if (!reader.Read())
            return null;
        return new ArchivedMessage(id, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetString(2), StoredStanza.Decode(reader.GetFieldValue<byte[]>(3)), reader.GetInt64(4) != 0);
    }

    public Task<bool> RetractAsync(string archive, string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(archive);
        ArgumentException.ThrowIfNullOrEmpty(id);
        return RunWriteAsync(writer => SqliteMessageWrites.Retract(writer, archive, id), cancellationToken);
    }

    public async Task DeleteArchiveAsync(string archive, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(archive);
        var deleted = await RunWriteAsync(writer => SqliteMessageWrites.DeleteArchive(writer, archive), cancellationToken).ConfigureAwait(false);
        ArchiveLog.ArchiveDeleted(_logger, Path, archive, deleted);
    }
}

/// <summary>Copying archives in and out (<see cref="ArchiveCopier"/>).</summary>
public sealed partial class SqliteArchive : IArchiveTransfer
{
    public Task<IReadOnlyList<string>> ListArchivesAsync(CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(Read<IReadOnlyList<string>>(session =>
            {
                var command = session.Command("SELECT DISTINCT archive FROM messages ORDER BY archive", _ => { });
                var names = new List<string>();
                using var reader = command.ExecuteReader();
                while (reader.Read())
                    names.Add(reader.GetString(0));
                return names;
            }, cancellationToken));
        }
        catch (Exception e)
        {
            return Task.FromException<IReadOnlyList<string>>(e);
        }
    }

    public Task ImportMessagesAsync(string archive, long firstPosition, IReadOnlyList<ArchivedMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(archive);
        ArgumentNullException.ThrowIfNull(messages);
        var copies = messages.ToList();
        return RunWriteAsync(writer => { writer.Import(archive, firstPosition, copies); return true; }, cancellationToken);
    }
}
