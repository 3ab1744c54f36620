using System.Net.Sockets;
using Npgsql;

namespace XmppGroupChat.Archive;

/// <summary>
/// The archive's server cannot be reached: the write was not made durable and is refused (the
/// caller's task faults); nothing of it was acknowledged. The archive keeps trying to reconnect.
/// </summary>
public sealed class ArchiveUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Which PostgreSQL errors mean "not reachable now" (wait and retry) and which mean "wrongly configured" (stop).</summary>
internal static class PostgreSqlFaults
{
    /// <summary>The server is down, restarting, or the network is: worth trying again later.</summary>
    public static bool IsUnavailable(Exception e) => e switch
    {
        ArchiveUnavailableException => true,
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
                               || p.SqlState is "57P01" or "57P02" or "57P03" // admin shutdown, crash shutdown, cannot connect now
                               || p.SqlState == "53300", // too many connections
        NpgsqlException n => n.InnerException is SocketException or IOException or TimeoutException || n.IsTransient,
        SocketException or IOException or TimeoutException => true,
        _ => false,
    };

    /// <summary>The server answered, and said the settings are wrong (authentication, a missing database, a refused host).</summary>
    public static bool IsConfiguration(Exception e) => e is PostgresException p && (
        p.SqlState.StartsWith("28", StringComparison.Ordinal) // invalid authorization: user, password, pg_hba
        || p.SqlState == "3D000" // database does not exist
        || p.SqlState == "42501"); // insufficient privilege (cannot create the tables)

    public static string Describe(Exception e) => e switch
    {
        PostgresException p => $"{p.SqlState} {p.MessageText}",
        NpgsqlException { InnerException: { } inner } => inner.Message,
        _ => e.Message,
    };
}
