using Microsoft.Extensions.Logging;
using Npgsql;

namespace XmppGroupChat.Archive;

/// <summary>
/// The tables, created or migrated on open. The version is the one row of <c>archive_schema</c>;
/// versions mean what they mean in the SQLite engine (<see cref="SqliteSchema"/>): 1 the room host's
/// data, 2 the relay store, 3 participants' dialects. Each step runs in its own transaction under an
/// advisory lock, so programs starting at once against one database migrate it once.
/// </summary>
internal static class PostgreSqlSchema
{
    public static int CurrentVersion => Migrations.Length;

    // An arbitrary constant naming the lock: pg_advisory_xact_lock takes a number.
    private const long MigrationLock = 0x78_6D_70_70_61_72_63_68; // "xmpparch"

    // Index i takes the schema from version i to version i + 1. Never edit a shipped entry: add one.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE rooms (
            jid          text   NOT NULL PRIMARY KEY,
            created      bigint NOT NULL,             -- Unix ms
            config       text   NOT NULL,             -- JSON: field var -> values
            affiliations text   NOT NULL,             -- JSON: bare JID -> affiliation
            subject      text
        );
        CREATE TABLE participants (
            room          text   NOT NULL REFERENCES rooms (jid) ON DELETE CASCADE,
            id            text   NOT NULL,
            bare_jid      text   NOT NULL,
            nick          text,
            subscriptions text   NOT NULL,            -- JSON array of node names
            joined        bigint NOT NULL,            -- Unix ms
            PRIMARY KEY (room, id)
        );
        -- folded: the nick upper-cased with invariant culture rules (ArchiveArguments.Fold), unique.
        CREATE TABLE nicks (
            bare_jid text NOT NULL PRIMARY KEY,
            nick     text NOT NULL,
            folded   text NOT NULL UNIQUE
        );
        -- One row per archive: the next position to give and the last stamp given. A batch takes the
        -- row's lock for its archive's appends, so positions stay dense and stamps in order even when
        -- several processes write one database.
        CREATE TABLE archives (
            name       text   NOT NULL PRIMARY KEY,
            next_pos   bigint NOT NULL,
            last_stamp bigint NOT NULL
        );
        -- pos: 0-based position in its archive, dense (rows leave an archive only all together), so a
        --   page's count and first index are subtractions.
        -- stamp: Unix ms, never decreasing along pos, so a time range is a position range.
        -- stanza: the StoredStanza form (UTF-8).
        CREATE TABLE messages (
            archive   text    NOT NULL,
            pos       bigint  NOT NULL,
            id        text    NOT NULL UNIQUE,
            stamp     bigint  NOT NULL,
            sender    text    NOT NULL,
            nick      text,
            stanza    bytea   NOT NULL,
            retracted boolean NOT NULL DEFAULT false,
            PRIMARY KEY (archive, pos)
        );
        CREATE INDEX messages_by_sender ON messages (archive, sender, pos);
        CREATE INDEX messages_by_stamp ON messages (archive, stamp, pos);
        """,
        """
        CREATE TABLE relay_rooms (
            room  text  NOT NULL PRIMARY KEY,
            state bytea NOT NULL                    -- StoredStanza form of the state element
        );
        -- seq keeps each kind in the order its entries were first saved (an upsert keeps the row).
        CREATE TABLE relay_entries (
            seq   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            room  text   NOT NULL REFERENCES relay_rooms (room) ON DELETE CASCADE,
            kind  text   NOT NULL,
            key   text   NOT NULL,
            value bytea  NOT NULL,                  -- StoredStanza form of the entry element
            UNIQUE (room, kind, key)
        );
        """,
        """
        -- The namespace a participant joined with, and whether it joined through its own server (XEP-0405 MIX-PAM).
        ALTER TABLE participants ADD COLUMN dialect text NOT NULL DEFAULT 'urn:xmpp:mix:core:1';
        ALTER TABLE participants ADD COLUMN via_server boolean NOT NULL DEFAULT false;
        """,
    ];

    /// <summary>Brings the database to <paramref name="upTo"/> (normally <see cref="CurrentVersion"/>); returns the version it is at.</summary>
    /// <exception cref="ArchiveOpenException">A database of a newer program, or one holding other tables than an archive's.</exception>
    public static int Migrate(NpgsqlConnection connection, string location, ILogger logger, int? upTo = null)
    {
        var target = upTo ?? CurrentVersion;
        while (true)
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLock})");
            var version = ReadVersion(connection, transaction);
            if (version > CurrentVersion)
                throw new ArchiveOpenException(location,
                    $"The archive {location} has schema version {version}; this program knows up to {CurrentVersion}. Use a newer program or another database.");
            if (version >= target)
            {
                transaction.Commit();
                return version;
            }
            if (version == 0)
            {
                var foreign = Scalar(connection, transaction,
                    "SELECT string_agg(table_name, ', ') FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> 'archive_schema'");
                if (foreign is string tables)
                    throw new ArchiveOpenException(location,
                        $"{location} already holds tables this program did not create ({tables}); give each program a database (or a schema, Search Path=...) of its own.");
                Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS archive_schema (version integer NOT NULL); INSERT INTO archive_schema SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM archive_schema)");
            }
            Execute(connection, transaction, Migrations[version]);
            Execute(connection, transaction, $"UPDATE archive_schema SET version = {version + 1}");
            transaction.Commit();
            ArchiveLog.Migrated(logger, location, version, version + 1);
        }
    }

    private static int ReadVersion(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        var exists = Scalar(connection, transaction, "SELECT to_regclass('archive_schema') IS NOT NULL");
        return exists is true ? Convert.ToInt32(Scalar(connection, transaction, "SELECT version FROM archive_schema")) : 0;
    }

    private static object? Scalar(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }
}
