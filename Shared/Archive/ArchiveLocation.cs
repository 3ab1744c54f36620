namespace XmppGroupChat.Archive;

/// <summary>
/// Where an archive lives: an engine and, for the embedded engines, a file path, for PostgreSQL a
/// connection string. Written <c>engine:target</c> on command lines (<see cref="Parse"/>), for example
/// <c>sqlite:data/mix/archive.db</c> or <c>postgresql:Host=db;Database=mix;Username=mix</c>.
/// </summary>
public sealed record ArchiveLocation(ArchiveEngine Engine, string Target)
{
    /// <exception cref="FormatException">Not <c>litedb:</c>, <c>sqlite:</c> or <c>postgresql:</c> followed by a path or connection string.</exception>
    public static ArchiveLocation Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':');
        if (colon <= 0 || colon == text.Length - 1 || !ArchiveEngines.TryParse(text[..colon], out var engine))
            throw new FormatException($"'{text}' is not an archive location: write litedb:PATH, sqlite:PATH or postgresql:CONNECTION-STRING.");
        return new ArchiveLocation(engine, text[(colon + 1)..]);
    }

    /// <summary>For logs and progress: the path, or the connection string without its password.</summary>
    public override string ToString() =>
        $"{ArchiveEngines.Name(Engine)}:{(Engine == ArchiveEngine.PostgreSql ? PostgreSqlArchive.Describe(Target) : Target)}";
}
