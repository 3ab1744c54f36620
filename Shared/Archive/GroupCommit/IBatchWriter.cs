namespace XmppGroupChat.Archive;

/// <summary>An engine's side of group commit: how one batch of queued writes becomes one transaction.</summary>
internal interface IBatchWriter
{
    /// <summary>
    /// Writes every item of <paramref name="batch"/> in one transaction and commits it, on the
    /// queue's writer thread. An operation that fails on its own is failed here (and its changes
    /// undone) while the rest commits. Throws when the transaction as a whole failed: then nothing
    /// of the batch is stored, and the queue fails every item with the error.
    /// </summary>
    void WriteBatch(IReadOnlyList<WriteItem> batch);
}
