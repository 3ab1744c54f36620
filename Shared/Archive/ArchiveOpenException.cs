namespace XmppGroupChat.Archive;

/// <summary>
/// An archive that cannot be opened as configured: a damaged or foreign file, a file another process
/// holds, a schema from a newer program, a connection string PostgreSQL refuses. The message names
/// the location and the setting to check; it has been logged (event 3007 or 3008) before this is thrown.
/// </summary>
public sealed class ArchiveOpenException(string location, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Location { get; } = location;
}
