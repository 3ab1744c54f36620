namespace XmppGroupChat.Archive;

/// <summary>Tuning of <see cref="SqliteArchive"/>; the defaults suit a single component process.</summary>
public sealed record SqliteArchiveOptions : GroupCommitOptions
{
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

    internal override void Validate()
    {
        base.Validate();
        if (IdleReadConnections < 0) throw new ArgumentOutOfRangeException(nameof(IdleReadConnections), IdleReadConnections, "not negative");
    }
}
