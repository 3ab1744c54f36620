namespace XmppGroupChat.Archive;

/// <summary>Tuning of <see cref="LiteDbArchive"/>; the defaults suit a single component process.</summary>
public sealed record LiteDbArchiveOptions : GroupCommitOptions
{
    /// <summary>
    /// false (default): a commit is written to LiteDB's log file (<c>archive-log.litedb</c>) before it is
    /// acknowledged, without an fsync: it survives a crash or kill -9 of the process (the OS has the
    /// bytes); a power loss or kernel crash can lose the last commits.
    /// true: the log file is also fsync'ed after every commit (per batch, thanks to group commit), so
    /// a commit survives power loss too, at the price of the disk's flush latency on every batch.
    /// </summary>
    public bool SurvivePowerLoss { get; init; }
}
