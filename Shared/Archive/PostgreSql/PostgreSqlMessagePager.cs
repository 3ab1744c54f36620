using Npgsql;

namespace XmppGroupChat.Archive;

/// <summary>
/// One MAM page (XEP-0313 over XEP-0059 RSM) from PostgreSQL, with the semantics of
/// <see cref="SqliteMessagePager"/>, read in one REPEATABLE READ snapshot so page, count and first
/// index agree. The time range is a position range (stamps never decrease along positions), found
/// with two probes of the (archive, stamp, pos) index; the page is a range of the primary key
/// (archive, pos), or of (archive, sender, pos) with 'with'. Without 'with', count and first index
/// are subtractions of dense positions; with it, COUNT(*)s over that sender's range of its index.
/// </summary>
internal static class PostgreSqlMessagePager
{
    private const string Columns = "pos, id, stamp, sender, nick, stanza, retracted";
    private static readonly ArchivePage Empty = new([], Complete: true, Count: 0, FirstIndex: null);

    public static async Task<ArchivePage> QueryAsync(NpgsqlConnection connection, string archive, ArchiveQuery query, CancellationToken cancellationToken)
    {
        var max = Math.Clamp(query.Max, 0, SqliteMessagePager.MaxPage);

        // Anchors first: an unknown id is an error even when the result set is empty.
        long? after = query.After is null ? null : await AnchorAsync(connection, archive, query.After, cancellationToken).ConfigureAwait(false);
        long? before = string.IsNullOrEmpty(query.Before) ? null : await AnchorAsync(connection, archive, query.Before, cancellationToken).ConfigureAwait(false);
        // After wins when both are given: the page is read forward from it, up to Before if set.
        var backward = query.Before is not null && query.After is null;

        var lo = await ScalarAsync(connection, query.Start is null
            ? "SELECT pos FROM messages WHERE archive = $1 ORDER BY pos LIMIT 1"
            : "SELECT pos FROM messages WHERE archive = $1 AND stamp >= $2 ORDER BY stamp, pos LIMIT 1",
            cancellationToken, archive, query.Start is { } start ? CeilingMs(start) : null).ConfigureAwait(false);
        var hi = await ScalarAsync(connection, query.End is null
            ? "SELECT pos FROM messages WHERE archive = $1 ORDER BY pos DESC LIMIT 1"
            : "SELECT pos FROM messages WHERE archive = $1 AND stamp <= $2 ORDER BY stamp DESC, pos DESC LIMIT 1",
            cancellationToken, archive, query.End?.ToUnixTimeMilliseconds()).ConfigureAwait(false);
        if (lo is null || hi is null || lo > hi)
            return Empty;

        var lower = Math.Max(lo.Value - 1, after ?? long.MinValue);
        var upper = Math.Min(hi.Value + 1, before ?? long.MaxValue);
        var with = query.With;
        var range = with is null ? "archive = $1 AND pos > $2 AND pos < $3" : "archive = $1 AND sender = $5 AND pos > $2 AND pos < $3";
        var sql = $"SELECT {Columns} FROM messages WHERE {range} ORDER BY pos {(backward ? "DESC" : "")} LIMIT $4";

        var rows = new List<(long Pos, string Id, long Stamp, string Sender, string? Nick, bool Retracted)>(Math.Min(max, 64));
        var stanzas = new List<byte[]>(Math.Min(max, 64));
        var more = false;
        await using (var command = Command(connection, sql, archive, lower, upper, (long)max + 1, with))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (rows.Count == max)
                {
                    more = true; // the extra row: the page does not reach the end in its direction
                    break;
                }
                rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetBoolean(6)));
                stanzas.Add(reader.GetFieldValue<byte[]>(5));
            }
        }
        if (backward)
        {
            rows.Reverse();
            stanzas.Reverse();
        }
        var decoded = StoredStanza.DecodeAll(stanzas);
        var messages = new ArchivedMessage[rows.Count];
        for (var i = 0; i < messages.Length; i++)
        {
            var row = rows[i];
            messages[i] = new ArchivedMessage(row.Id, DateTimeOffset.FromUnixTimeMilliseconds(row.Stamp), row.Sender, row.Nick, decoded[i], row.Retracted);
        }

        if (with is null)
            return new ArchivePage(messages, Complete: !more, checked((int)(hi.Value - lo.Value + 1)),
                messages.Length > 0 ? (int)(rows[0].Pos - lo.Value) : null);
        var count = await CountAsync(connection, archive, with, lo.Value, hi.Value + 1, cancellationToken).ConfigureAwait(false);
        int? firstIndex = messages.Length > 0 ? await CountAsync(connection, archive, with, lo.Value, rows[0].Pos, cancellationToken).ConfigureAwait(false) : null;
        return new ArchivePage(messages, Complete: !more, count, firstIndex);
    }

    public static async Task<ArchivedMessage?> GetAsync(NpgsqlConnection connection, string archive, string id, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, "SELECT stamp, sender, nick, stanza, retracted FROM messages WHERE id = $1 AND archive = $2", id, archive);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            return null;
        return new ArchivedMessage(id, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetString(1),
            reader.IsDBNull(2) ? null : reader.GetString(2), StoredStanza.Decode(reader.GetFieldValue<byte[]>(3)), reader.GetBoolean(4));
    }

    private static async Task<long> AnchorAsync(NpgsqlConnection connection, string archive, string id, CancellationToken cancellationToken) =>
        await ScalarAsync(connection, "SELECT pos FROM messages WHERE id = $2 AND archive = $1", cancellationToken, archive, id).ConfigureAwait(false)
        ?? throw new ArchiveItemNotFoundException(id);

    /// <summary>That sender's messages with lower &lt;= pos &lt; upper.</summary>
    private static async Task<int> CountAsync(NpgsqlConnection connection, string archive, string with, long lower, long upper, CancellationToken cancellationToken) =>
        (int)(await ScalarAsync(connection, "SELECT count(*) FROM messages WHERE archive = $1 AND sender = $2 AND pos >= $3 AND pos < $4",
            cancellationToken, archive, with, lower, upper).ConfigureAwait(false) ?? 0);

    private static async Task<long?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object?[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long value ? value : null;
    }

    /// <summary>A command with positional parameters; trailing nulls are left out (the SQL does not name them).</summary>
    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object?[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        var used = parameters.Length;
        while (used > 0 && parameters[used - 1] is null)
            used--;
        for (var i = 0; i < used; i++)
            command.Parameters.Add(new NpgsqlParameter { Value = parameters[i] ?? DBNull.Value });
        return command;
    }

    // Start is inclusive at millisecond resolution: 10.5 ms admits stamps from 11 ms on.
    private static long CeilingMs(DateTimeOffset t)
    {
        var ms = t.ToUnixTimeMilliseconds();
        return DateTimeOffset.FromUnixTimeMilliseconds(ms) < t ? ms + 1 : ms;
    }
}
