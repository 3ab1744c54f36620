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
        var item = new AppendItem(
            archive,
            ArchiveIds.New(),
            message.SenderBareJid,
            message.SenderNick,
            StoredStanza.Encode(message.Stanza),
            StoredStanza.Copy(message.Stanza),
            cancellationToken);
        return _writer.AppendAsync(item);
    }

    /// <summary>One page; see <see cref="MessagePager"/> for the semantics of each field of the query.</summary>
    public Task<ArchivePage> QueryAsync(string archive, ArchiveQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(archive);
        ArgumentNullException.ThrowIfNull(query);
        try
        {
            return Task.FromResult(Read(session => session.Snapshot(s => MessagePager.Query(s, archive, query, cancellationToken)), cancellationToken));
        }
        catch (Exception e)
        {
            return Task.FromException<ArchivePage>(e);
        }
    }

    public Task<bool> RetractAsync(string archive, string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(archive);
        ArgumentException.ThrowIfNullOrEmpty(id);
        return RunWriteAsync(writer => MessageWrites.Retract(writer, archive, id), cancellationToken);
    }

    public async Task DeleteArchiveAsync(string archive, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(archive);
        var deleted = await RunWriteAsync(writer => MessageWrites.DeleteArchive(writer, archive), cancellationToken).ConfigureAwait(false);
        ArchiveLog.ArchiveDeleted(_logger, Path, archive, deleted);
    }
}
