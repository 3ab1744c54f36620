namespace XmppGroupChat.Archive;

/// <summary>Tuning of <see cref="PostgreSqlArchive"/>. Durability is the server's: a commit is acknowledged once PostgreSQL has it.</summary>
public sealed record PostgreSqlArchiveOptions : GroupCommitOptions
{
    /// <summary>First delay before connecting again after PostgreSQL went away; it doubles (with jitter) up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest delay between attempts to reach PostgreSQL, at start-up and while it is away.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    internal override void Validate()
    {
        base.Validate();
        if (ReconnectBaseDelay <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(ReconnectBaseDelay), ReconnectBaseDelay, "positive");
        if (ReconnectMaxDelay < ReconnectBaseDelay) throw new ArgumentOutOfRangeException(nameof(ReconnectMaxDelay), ReconnectMaxDelay, "at least ReconnectBaseDelay");
    }
}
