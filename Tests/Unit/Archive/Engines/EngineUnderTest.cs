using XmppGroupChat.Archive;

namespace XmppGroupChat.Tests.Unit.Archive.Engines;

/// <summary>
/// One engine as the contract tests see it: where a fresh archive goes (a file in the test's
/// directory, or a fresh schema in the test class's database), how to open it, and the few things a
/// test must do below the interfaces (make appends fail, read what is stored, write data as the
/// previous schema version would have, mark the schema as a newer program's).
/// </summary>
public abstract class EngineUnderTest
{
    public static IEnumerable<TestFixtureData> All()
    {
        yield return new TestFixtureData(new SqliteEngineUnderTest()).SetArgDisplayNames("sqlite");
        yield return new TestFixtureData(new LiteDbEngineUnderTest()).SetArgDisplayNames("litedb");
        yield return new TestFixtureData(new PostgreSqlEngineUnderTest()).SetArgDisplayNames("postgresql");
    }

    public abstract ArchiveEngine Engine { get; }

    public override string ToString() => ArchiveEngines.Name(Engine);

    /// <summary>Once per test class (PostgreSQL: a database of its own).</summary>
    public virtual Task OneTimeSetUpAsync() => Task.CompletedTask;

    /// <summary>A location for a new, empty archive for one test.</summary>
    public abstract Task<string> NewTargetAsync(string directory);

    public abstract Task<IArchiveStore> OpenAsync(string target, int queueCapacity = 8192, int? schemaVersion = null, Microsoft.Extensions.Logging.ILogger? logger = null);

    /// <summary>From now on, a batch that holds an append from <paramref name="sender"/> fails as a whole (a trigger, a unique index).</summary>
    public abstract Task FailAppendsFromAsync(IArchiveStore store, string target, string sender);

    /// <summary>Every stored stanza as the storage holds it (UTF-8), read below the archive.</summary>
    public abstract Task<IReadOnlyList<string>> StoredStanzasAsync(IArchiveStore store, string target);

    /// <summary>Stores a participant as the previous schema version did (without its dialect); the store is open at that version.</summary>
    public abstract Task SaveParticipantAsPreviousVersionAsync(IArchiveStore store, string target, string room, ParticipantRecord participant);

    /// <summary>Marks the closed archive at <paramref name="target"/> as written by a program with schema version 99.</summary>
    public abstract Task MarkNewerSchemaAsync(string target);

    /// <summary>Makes <paramref name="target"/> unreadable as an archive (garbage in the file; for PostgreSQL, a wrong password).</summary>
    public abstract Task<string> DamagedTargetAsync(string target);

    /// <summary>A location holding another program's data (a file of the engine's format, a database with other tables).</summary>
    public abstract Task<string> ForeignTargetAsync(string directory);
}
