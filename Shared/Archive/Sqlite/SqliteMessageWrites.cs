using Microsoft.Data.Sqlite;

namespace XmppGroupChat.Archive;

/// <summary>The message writes other than appends, run on the writer thread (<see cref="SqliteBatchWriter"/>).</summary>
internal static class SqliteMessageWrites
{
    /// <summary>
    /// Replaces the stored stanza by its tombstone. The original is overwritten, not hidden: after a
    /// retraction the content is gone from the file (after the next checkpoint, from the WAL too).
    /// The row stays, so positions stay dense and the id stays a valid RSM anchor.
    /// </summary>
    public static bool Retract(SqliteBatchWriter writer, string archive, string id)
    {
        var select = writer.Command("SELECT seq, stanza, retracted FROM messages WHERE id = $id AND archive = $archive", p =>
        {
            p.Add("$id", SqliteType.Text);
            p.Add("$archive", SqliteType.Text);
        });
        select.Parameters[0].Value = id;
        select.Parameters[1].Value = archive;
        long seq;
        byte[] stanza;
        using (var reader = select.ExecuteReader())
        {
            if (!reader.Read())
                return false;
            if (reader.GetInt64(2) != 0)
                return true; // already a tombstone: keep its first retraction stamp
            seq = reader.GetInt64(0);
            stanza = reader.GetFieldValue<byte[]>(1);
        }

        var tombstone = StoredStanza.Tombstone(StoredStanza.Decode(stanza), DateTimeOffset.UtcNow);
        var update = writer.Command("UPDATE messages SET stanza = $stanza, retracted = 1 WHERE seq = $seq", p =>
        {
            p.Add("$stanza", SqliteType.Blob);
            p.Add("$seq", SqliteType.Integer);
        });
        update.Parameters[0].Value = StoredStanza.Encode(tombstone);
        update.Parameters[1].Value = seq;
        update.ExecuteNonQuery();
        return true;
    }

    /// <summary>Deletes every message of the archive; returns how many. Its positions restart at 0.</summary>
    public static int DeleteArchive(SqliteBatchWriter writer, string archive)
    {
        var command = writer.Command("DELETE FROM messages WHERE archive = $archive", p => p.Add("$archive", SqliteType.Text));
        command.Parameters[0].Value = archive;
        var deleted = command.ExecuteNonQuery();
        writer.ForgetArchive(archive);
        return deleted;
    }
}
