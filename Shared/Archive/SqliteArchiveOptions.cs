namespace XmppGroupChat.Archive;

/// <summary>Tuning of <see cref="SqliteArchive"/>; the defaults suit a single component process.</summary>
public sealed record SqliteArchiveOptions
{
    /// <summary>
    /// Most writes committed in one transaction. A batch is whatever is queued when the writer comes
    /// round, so this only matters under load: larger batches share each dirty index page among
    /// more appends (raw inserts on the benchmark machine: ~25% cheaper per row in transactions of
    /// 2000 than of 500), at the price of the first caller of a batch waiting for the last one's
    /// insert (up to ~2048 × 30 µs).
    /// </summary>
    public int MaxBatch { get; init; } = 2048;

    /// <summary>
    /// Writes that may wait for the writer before <see cref="SqliteArchive.AppendAsync"/> itself waits
    /// (back-pressure instead of unbounded memory when the disk cannot keep up).
    /// </summary>
    public int QueueCapacity { get; init; } = 8192;

    /// <summary>Read connections kept open between queries; more are opened under load and closed after.</summary>
    public int IdleReadConnections { get; init; } = 4;

    /// <summary>
    /// false (default): synchronous=NORMAL. In WAL mode a commit is then written to the WAL file but
    /// not fsync'ed: it survives a crash or kill -9 of the process (the OS has the bytes), and only a
    /// power loss or kernel crash can lose the last commits (never corrupt the file).
    /// true: synchronous=FULL, an fsync per commit (per batch, thanks to group commit) so a commit
    /// also survives power loss, at the price of the disk's flush latency on every batch.
    /// </summary>
    public bool SurvivePowerLoss { get; init; }

    internal void Validate()
    {
        if (MaxBatch < 1) throw new ArgumentOutOfRangeException(nameof(MaxBatch), MaxBatch, "at least 1");
        if (QueueCapacity < 1) throw new ArgumentOutOfRangeException(nameof(QueueCapacity), QueueCapacity, "at least 1");
        if (IdleReadConnections < 0) throw new ArgumentOutOfRangeException(nameof(IdleReadConnections), IdleReadConnections, "not negative");
    }
}
