namespace XmppGroupChat.Archive;

/// <summary>The group-commit tuning every engine shares; the defaults suit a single component process.</summary>
public abstract record GroupCommitOptions
{
    /// <summary>
    /// Most writes committed in one transaction. A batch is whatever is queued when the writer comes
    /// round, so this only matters under load: larger batches share a commit's fixed cost among more
    /// writes (SQLite raw inserts on the benchmark machine: ~25% cheaper per row in transactions of
    /// 2000 than of 500), at the price of the first caller of a batch waiting for the last one's write.
    /// </summary>
    public int MaxBatch { get; init; } = 2048;

    /// <summary>
    /// Writes that may wait for the writer before an append itself waits (back-pressure instead of
    /// unbounded memory when the storage cannot keep up).
    /// </summary>
    public int QueueCapacity { get; init; } = 8192;

    internal virtual void Validate()
    {
        if (MaxBatch < 1) throw new ArgumentOutOfRangeException(nameof(MaxBatch), MaxBatch, "at least 1");
        if (QueueCapacity < 1) throw new ArgumentOutOfRangeException(nameof(QueueCapacity), QueueCapacity, "at least 1");
    }
}
