namespace XmppGroupChat.Archive;

/// <summary>The message archive (IMessageArchive) over the writer queue and read transactions.</summary>
public sealed partial class LiteDbArchive : IArchiveTransfer
{
    // LiteDB refuses a document of about 16 MB, and would fail the whole batch with it: a message
    // this large (stanzas are capped far below by the link) is refused alone, at once.
    private const int MaxStoredStanzaBytes = 8 * 1024 * 1024;

    /// <summary>
    /// Queues the message for the next group commit and completes once that commit is done. The id is
    /// made here, the stamp when the writer stores it. Cancellation is honoured while the message is
    /// still queued (it is then not stored).
    /// </summary>
    public ValueTask<ArchivedMessage> AppendAsync(string archive, MessageDraft message, CancellationToken cancellationToken = default)
    {
        ArchiveArguments.Append(archive, message);
        ThrowIfDisposed();
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled<ArchivedMessage>(cancellationToken);
        var item = AppendItem.For(archive, message, cancellationToken);
        if (item.Stanza.Length > MaxStoredStanzaBytes)
            throw new ArgumentException($"The stanza is {item.Stanza.Length} bytes; the archive stores at most {MaxStoredStanzaBytes}.", nameof(message));
        return _writer.AppendAsync(item);
    }

    public Task<ArchivePage> QueryAsync(string archive, ArchiveQuery query, CancellationToken cancellationToken = default)
    {
        ArchiveArguments.Query(archive, query);
        return Read(engine => LiteDbMessagePager.Query(engine, _names, archive, query, cancellationToken), cancellationToken);
    }

    public Task<ArchivedMessage?> GetAsync(string archive, string id, CancellationToken cancellationToken = default)
    {
        ArchiveArguments.Message(archive, id);
        return Read(engine =>
        {
            var document = LiteDbMessagePager.FindById(engine, id);
            if (document is null || _names.Archive(archive) is not { } number || LiteDbKeys.ArchiveOf(document["_id"].AsInt64) != number)
                return null;
            return LiteDbMessagePager.ToMessage(document, StoredStanza.Decode(document["z"].AsBinary));
        }, cancellationToken);
    }

    public Task<bool> RetractAsync(string archive, string id, CancellationToken cancellationToken = default)
    {
        ArchiveArguments.Message(archive, id);
        return RunWriteAsync(writer => writer.Retract(archive, id), cancellationToken);
    }

    public async Task DeleteArchiveAsync(string archive, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(archive);
        var deleted = await RunWriteAsync(writer => writer.DeleteArchive(archive), cancellationToken).ConfigureAwait(false);
        ArchiveLog.ArchiveDeleted(_logger, Path, archive, deleted);
    }

    public Task<IReadOnlyList<string>> ListArchivesAsync(CancellationToken cancellationToken) =>
        Read<IReadOnlyList<string>>(engine => LiteDbRoomDocuments.All(engine, LiteDbNames.Archives)
            .Select(d => d["n"].AsString)
            .Where(name => _names.Archive(name) is { } number && LiteDbMessagePager.HasMessages(engine, number))
            .Order(StringComparer.Ordinal)
            .ToList(), cancellationToken);

    public Task ImportMessagesAsync(string archive, long firstPosition, IReadOnlyList<ArchivedMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(archive);
        ArgumentNullException.ThrowIfNull(messages);
        var copies = messages.ToList();
        return RunWriteAsync(writer => { writer.Import(archive, firstPosition, copies); return true; }, cancellationToken);
    }
}
