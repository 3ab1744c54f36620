using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace XmppGroupChat.Archive;

/// <summary>
/// The tables, created or migrated on open. The schema version is PRAGMA user_version (an integer
/// in the file header, so no extra table): 0 is an empty file; each entry of <see cref="Migrations"/>
/// takes the file one version up, in its own transaction, so a crash mid-migration leaves the
/// previous version intact.
/// </summary>
internal static class SqliteSchema
{
    public static int CurrentVersion => Migrations.Length;

    // Index i takes the schema from version i to version i + 1. Never edit a shipped entry: add one.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE rooms (
            jid          TEXT    NOT NULL PRIMARY KEY,
            created      INTEGER NOT NULL,            -- Unix ms
            config       TEXT    NOT NULL,            -- JSON: field var -> values
            affiliations TEXT    NOT NULL,            -- JSON: bare JID -> affiliation
            subject      TEXT
        );

        -- A participant cannot outlive its room: the foreign key deletes it with the room, and
        -- refuses a participant of a room that was never saved.
        CREATE TABLE participants (
            room          TEXT    NOT NULL REFERENCES rooms (jid) ON DELETE CASCADE,
            id            TEXT    NOT NULL,
            bare_jid      TEXT    NOT NULL,
            nick          TEXT,
            subscriptions TEXT    NOT NULL,           -- JSON array of node names
            joined        INTEGER NOT NULL,           -- Unix ms
            PRIMARY KEY (room, id)
        );
        CREATE INDEX participants_by_jid ON participants (room, bare_jid);

        -- nick: as registered, unique without regard to ASCII case (NOCASE);
        -- folded: the nick upper-cased with invariant culture rules, unique, so that non-ASCII case
        -- variants (which NOCASE does not fold) are refused too.
        CREATE TABLE nicks (
            bare_jid TEXT NOT NULL PRIMARY KEY,
            nick     TEXT NOT NULL UNIQUE COLLATE NOCASE,
            folded   TEXT NOT NULL UNIQUE
        );

        -- seq: AUTOINCREMENT so a number is never reused, even after the newest rows are deleted.
        -- pos: 0-based position in its archive. Rows leave an archive only all together (retraction
        --   keeps the row), so positions are dense and a page's count and first index are
        --   subtractions instead of COUNT(*) over a million index entries.
        -- stamp: Unix ms, never decreasing along seq (the writer enforces it), so a time range is a
        --   seq range.
        -- stanza: the StoredStanza form (UTF-8, see StoredStanza).
        CREATE TABLE messages (
            seq       INTEGER PRIMARY KEY AUTOINCREMENT,
            archive   TEXT    NOT NULL,
            id        TEXT    NOT NULL UNIQUE,
            pos       INTEGER NOT NULL,
            stamp     INTEGER NOT NULL,
            sender    TEXT    NOT NULL,
            nick      TEXT,
            stanza    BLOB    NOT NULL,
            retracted INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX messages_by_archive ON messages (archive, seq);
        CREATE INDEX messages_by_sender ON messages (archive, sender, seq);
        CREATE INDEX messages_by_stamp ON messages (archive, stamp);
        """,
        """
        -- A relay's copy of rooms hosted elsewhere (IRelayRoomStore): one state element per room,
        -- and keyed entries by kind. seq keeps each kind in the order its entries were first saved
        -- (an upsert keeps the row, so a replaced value keeps its place).
        CREATE TABLE relay_rooms (
            room  TEXT NOT NULL PRIMARY KEY,
            state BLOB NOT NULL                     -- StoredStanza form of the state element
        );
        CREATE TABLE relay_entries (
            seq   INTEGER PRIMARY KEY AUTOINCREMENT,
            room  TEXT NOT NULL REFERENCES relay_rooms (room) ON DELETE CASCADE,
            kind  TEXT NOT NULL,
            key   TEXT NOT NULL,
            value BLOB NOT NULL,                    -- StoredStanza form of the entry element
            UNIQUE (room, kind, key)
        );
        """,
        """
        -- The namespace a participant joined with (its notifications follow it across restarts), and
        -- whether it joined through its own server (XEP-0405 MIX-PAM: the channel then addresses it
        -- by bare JID). Rows from version 2 were core:1 participants that joined directly.
        ALTER TABLE participants ADD COLUMN dialect TEXT NOT NULL DEFAULT 'urn:xmpp:mix:core:1';
        ALTER TABLE participants ADD COLUMN via_server INTEGER NOT NULL DEFAULT 0;
        """,
    ];

    /// <summary>Brings the file to <see cref="CurrentVersion"/>; returns the version it is at.</summary>
    /// <exception cref="ArchiveOpenException">The file was written by a newer version of this program, or by another program.</exception>
    public static int Migrate(SqliteConnection connection, string path, ILogger logger, int? upTo = null)
    {
        var target = upTo ?? CurrentVersion;
        var version = ReadVersion(connection);
        if (version > CurrentVersion)
            throw new ArchiveOpenException(path, 
                $"The archive {path} has schema version {version}; this program knows up to {CurrentVersion}. Use a newer program or another file.");
        if (version == 0 && ForeignTables(connection) is { } tables)
            throw new ArchiveOpenException(path,
                $"{path} is an SQLite database this program did not write (it has tables {tables}); set Storage:Path to another directory.");
        while (version < target)
        {
            using var transaction = connection.BeginTransaction();
            // Re-read inside the write lock: another process may have migrated meanwhile.
            var current = ReadVersion(connection, transaction);
            if (current == version)
            {
                Execute(connection, transaction, Migrations[version]);
                // PRAGMA takes no parameters; the value is an int from this code, not input.
                Execute(connection, transaction, $"PRAGMA user_version = {version + 1}");
                transaction.Commit();
                ArchiveLog.Migrated(logger, path, version, version + 1);
            }
            version = ReadVersion(connection);
        }
        return version;
    }

    private static string? ForeignTables(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(name, ', ') FROM sqlite_master WHERE type = 'table'";
        return command.ExecuteScalar() as string;
    }

    private static int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version";
        return Convert.ToInt32(command.ExecuteScalar());
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
