namespace XmppGroupChat.Archive;

/// <summary>
/// Group-commit counters since the archive was opened, for monitoring: how many transactions the
/// writer committed, how many writes they held, and how long the writer was busy writing them.
/// A mean batch near 1 means the writer is mostly idle; busy time approaching wall-clock time
/// means the writer (one thread, one disk) is the limit and appends wait in the queue.
/// </summary>
public readonly record struct ArchiveWriteStats(long Batches, long Writes, TimeSpan Busy)
{
    public double MeanBatch => Batches == 0 ? 0 : (double)Writes / Batches;
}
