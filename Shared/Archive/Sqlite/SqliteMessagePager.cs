using Microsoft.Data.Sqlite;

namespace XmppGroupChat.Archive;

/// <summary>
/// One MAM page (XEP-0313 over XEP-0059 RSM) from a read session.
/// <para>
/// The result set is the archive's messages within [Start, End], optionally only those of one sender
/// ('with'). Because stamps never decrease along seq, the time range is a seq range
/// [<c>lo</c>, <c>hi</c>], found with two index probes; paging is then by seq: After/Before
/// narrow it to an open interval, and the page is the first (forward) or last (backward) Max rows of
/// it. One row more than Max is read to learn whether the page reaches the end in its direction.
/// </para>
/// <para>
/// Count and FirstIndex: without 'with', positions are dense within an archive, so both are
/// subtractions of positions (constant time on any archive size). With 'with', they are COUNT(*)s
/// over that sender's range of the (archive, sender, seq) index: proportional to that sender's
/// messages, not to the archive.
/// </para>
/// </summary>
internal static class SqliteMessagePager
{
    public const int MaxPage = 1000;

    private const string Columns = "seq, pos, id, stamp, sender, nick, stanza, retracted";

    private const string AnchorSql = "SELECT seq FROM messages WHERE id = $id AND archive = $archive";
    private const string FirstSql = "SELECT seq, pos FROM messages WHERE archive = $archive ORDER BY seq LIMIT 1";
    private const string LastSql = "SELECT seq, pos FROM messages WHERE archive = $archive ORDER BY seq DESC LIMIT 1";
    private const string FirstFromSql =
        "SELECT seq, pos FROM messages WHERE archive = $archive AND stamp >= $stamp ORDER BY stamp, seq LIMIT 1";
    private const string LastUntilSql =
        "SELECT seq, pos FROM messages WHERE archive = $archive AND stamp <= $stamp ORDER BY stamp DESC, seq DESC LIMIT 1";

    private const string Range = "archive = $archive AND seq > $lower AND seq < $upper";
    private const string ForwardSql = $"SELECT {Columns} FROM messages WHERE {Range} ORDER BY seq LIMIT $limit";
    private const string BackwardSql = $"SELECT {Columns} FROM messages WHERE {Range} ORDER BY seq DESC LIMIT $limit";
    private const string ForwardWithSql = $"SELECT {Columns} FROM messages WHERE {Range} AND sender = $with ORDER BY seq LIMIT $limit";
    private const string BackwardWithSql = $"SELECT {Columns} FROM messages WHERE {Range} AND sender = $with ORDER BY seq DESC LIMIT $limit";
    private const string CountWithSql = $"SELECT COUNT(*) FROM messages WHERE {Range} AND sender = $with";

    private readonly record struct Row(long Seq, long Pos);

    public static ArchivePage Query(ReadSession session, string archive, ArchiveQuery query, CancellationToken cancellationToken)
    {
        var max = Math.Clamp(query.Max, 0, MaxPage);

        // Anchors first: an unknown id is an error even when the result set is empty.
        long? after = query.After is null ? null : Anchor(session, archive, query.After);
        long? before = string.IsNullOrEmpty(query.Before) ? null : Anchor(session, archive, query.Before);
        // After wins when both are given: the page is read forward from it, up to Before if set.
        var backward = query.Before is not null && query.After is null;

        var lo = query.Start is { } start ? FirstFrom(session, archive, CeilingMs(start)) : Edge(session, FirstSql, archive);
        var hi = query.End is { } end ? LastUntil(session, archive, end.ToUnixTimeMilliseconds()) : Edge(session, LastSql, archive);
        if (lo is null || hi is null || lo.Value.Seq > hi.Value.Seq)
            return new ArchivePage([], Complete: true, Count: 0, FirstIndex: null);
        cancellationToken.ThrowIfCancellationRequested();

        var lower = Math.Max(lo.Value.Seq - 1, after ?? long.MinValue);
        var upper = Math.Min(hi.Value.Seq + 1, before ?? long.MaxValue);
        var with = query.With;

        var sql = (backward, with is null) switch
        {
            (false, true) => ForwardSql,
            (true, true) => BackwardSql,
            (false, false) => ForwardWithSql,
            (true, false) => BackwardWithSql,
        };
        var command = session.Command(sql, with is null ? AddPageParameters : AddPageWithParameters);
        command.Parameters["$archive"].Value = archive;
        command.Parameters["$lower"].Value = lower;
        command.Parameters["$upper"].Value = upper;
        command.Parameters["$limit"].Value = max + 1;
        if (with is not null)
            command.Parameters["$with"].Value = with;

        // Rows first, stanzas after: the page's stanzas are then parsed in one pass (DecodeAll).
        var rows = new List<(string Id, long Stamp, string Sender, string? Nick, bool Retracted)>(Math.Min(max, 64));
        var stanzas = new List<byte[]>(Math.Min(max, 64));
        long firstSeq = 0, firstPos = 0;
        var more = false;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                if (rows.Count == max)
                {
                    more = true; // the extra row: the page does not reach the end in its direction
                    break;
                }
                var seq = reader.GetInt64(0);
                var pos = reader.GetInt64(1);
                // Backward pages are read newest first; the first returned item is the oldest read.
                if (rows.Count == 0 || backward)
                {
                    firstSeq = seq;
                    firstPos = pos;
                }
                rows.Add((reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt64(7) != 0));
                stanzas.Add(reader.GetFieldValue<byte[]>(6));
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
            messages[i] = new ArchivedMessage(row.Id, DateTimeOffset.FromUnixTimeMilliseconds(row.Stamp), row.Sender, row.Nick,
                decoded[i], row.Retracted);
        }

        int count;
        int? firstIndex = null;
        if (with is null)
        {
            count = checked((int)(hi.Value.Pos - lo.Value.Pos + 1));
            if (messages.Length > 0)
                firstIndex = (int)(firstPos - lo.Value.Pos);
        }
        else
        {
            count = CountWith(session, archive, with, lo.Value.Seq - 1, hi.Value.Seq + 1);
            if (messages.Length > 0)
                firstIndex = CountWith(session, archive, with, lo.Value.Seq - 1, firstSeq);
        }
        return new ArchivePage(messages, Complete: !more, count, firstIndex);
    }

    private static void AddPageParameters(SqliteParameterCollection p)
    {
        p.Add("$archive", SqliteType.Text);
        p.Add("$lower", SqliteType.Integer);
        p.Add("$upper", SqliteType.Integer);
        p.Add("$limit", SqliteType.Integer);
    }

    private static void AddPageWithParameters(SqliteParameterCollection p)
    {
        AddPageParameters(p);
        p.Add("$with", SqliteType.Text);
    }

    private static long Anchor(ReadSession session, string archive, string id)
    {
        var command = session.Command(AnchorSql, p =>
        {
            p.Add("$id", SqliteType.Text);
            p.Add("$archive", SqliteType.Text);
        });
        command.Parameters[0].Value = id;
        command.Parameters[1].Value = archive;
        return command.ExecuteScalar() is long seq ? seq : throw new ArchiveItemNotFoundException(id);
    }

    private static Row? Edge(ReadSession session, string sql, string archive)
    {
        var command = session.Command(sql, p => p.Add("$archive", SqliteType.Text));
        command.Parameters[0].Value = archive;
        return ReadRow(command);
    }

    private static Row? FirstFrom(ReadSession session, string archive, long stamp) => Bounded(session, FirstFromSql, archive, stamp);

    private static Row? LastUntil(ReadSession session, string archive, long stamp) => Bounded(session, LastUntilSql, archive, stamp);

    private static Row? Bounded(ReadSession session, string sql, string archive, long stamp)
    {
        var command = session.Command(sql, p =>
        {
            p.Add("$archive", SqliteType.Text);
            p.Add("$stamp", SqliteType.Integer);
        });
        command.Parameters[0].Value = archive;
        command.Parameters[1].Value = stamp;
        return ReadRow(command);
    }

    private static Row? ReadRow(SqliteCommand command)
    {
        using var reader = command.ExecuteReader();
        return reader.Read() ? new Row(reader.GetInt64(0), reader.GetInt64(1)) : null;
    }

    private static int CountWith(ReadSession session, string archive, string with, long lower, long upper)
    {
        var command = session.Command(CountWithSql, p =>
        {
            p.Add("$archive", SqliteType.Text);
            p.Add("$lower", SqliteType.Integer);
            p.Add("$upper", SqliteType.Integer);
            p.Add("$with", SqliteType.Text);
        });
        command.Parameters[0].Value = archive;
        command.Parameters[1].Value = lower;
        command.Parameters[2].Value = upper;
        command.Parameters[3].Value = with;
        return Convert.ToInt32(command.ExecuteScalar());
    }

    // Start is inclusive at millisecond resolution: 10.5 ms admits stamps from 11 ms on.
    private static long CeilingMs(DateTimeOffset t)
    {
        var ms = t.ToUnixTimeMilliseconds();
        return DateTimeOffset.FromUnixTimeMilliseconds(ms) < t ? ms + 1 : ms;
    }
}
