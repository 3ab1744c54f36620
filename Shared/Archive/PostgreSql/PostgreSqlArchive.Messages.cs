using System.Text;
using Npgsql;

namespace XmppGroupChat.Archive;

/// <summary>The message archive (IMessageArchive) over the writer queue and pooled read connections.</summary>
public sealed partial class PostgreSqlArchive : IArchiveTransfer
{
    // A B-tree entry holds at most about 2,700 bytes, and (archive, sender, pos) is one: a longer pair
    // would fail the whole batch it is in, so it is refused alone, at once. Real JIDs are far shorter.
    private const int MaxKeyBytes = 2000;

    public ValueTask<ArchivedMessage> AppendAsync(string archive, MessageDraft message, CancellationToken cancellationToken = default)
    {
        ArchiveArguments.Append(archive, message);
        ThrowIfDisposed();
        if (Encoding.UTF8.GetByteCount(archive) + Encoding.UTF8.GetByteCount(message.SenderBareJid) > MaxKeyBytes)
            throw new ArgumentException($"The archive name and sender together exceed {MaxKeyBytes} bytes.", nameof(message));
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled<ArchivedMessage>(cancellationToken);
        return _writer.AppendAsync(AppendItem.For(archive, message, cancellationToken));
    }

    public Task<ArchivePage> QueryAsync(string archive, ArchiveQuery query, CancellationToken cancellationToken = default)
    {
        ArchiveArguments.Query(archive, query);
        return ReadAsync((connection, ct) => PostgreSqlMessagePager.QueryAsync(connection, archive, query, ct), cancellationToken);
    }

    public Task<ArchivedMessage?> GetAsync(string archive, string id, CancellationToken cancellationToken = default)
    {
        ArchiveArguments.Message(archive, id);
        return ReadAsync((connection, ct) => PostgreSqlMessagePager.GetAsync(connection, archive, id, ct), cancellationToken);
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
        ArchiveLog.ArchiveDeleted(_logger, Location, archive, deleted);
    }

    public Task<IReadOnlyList<string>> ListArchivesAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<string>>(async (connection, ct) =>
        {
            var names = new List<string>();
            await using var command = new NpgsqlCommand("SELECT name FROM archives WHERE next_pos > 0 ORDER BY name COLLATE \"C\"", connection);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                names.Add(reader.GetString(0));
            return names;
        }, cancellationToken);

    public Task ImportMessagesAsync(string archive, long firstPosition, IReadOnlyList<ArchivedMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(archive);
        ArgumentNullException.ThrowIfNull(messages);
        var copies = messages.ToList();
        return RunWriteAsync(writer => { writer.Import(archive, firstPosition, copies); return true; }, cancellationToken);
    }
}
