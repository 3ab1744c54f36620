using LiteDB;

namespace XmppGroupChat.Archive;

/// <summary>
/// One MAM page (XEP-0313 over XEP-0059 RSM) from LiteDB, with the semantics of
/// <see cref="SqliteMessagePager"/>, on the keys of <see cref="LiteDbKeys"/>.
/// <para>
/// Positions are dense within an archive and stamps never decrease along them, so the result set
/// [Start, End] is a position range [lo, hi]: its ends are found by binary search over positions
/// (each probe a primary-key lookup), which saves the writer an index on stamps. After/Before narrow
/// it to an open interval, and the page is the first (forward) or last (backward) Max keys of it.
/// Count and first index are subtractions of positions; with 'with', of the sender positions
/// (<c>q</c>) of the sender's first message in the range and of the page's first: constant time
/// whatever the archive's or the sender's size.
/// </para>
/// </summary>
internal static class LiteDbMessagePager
{
    // Archive ids are 16 characters; anything much longer cannot be one, and is not worth a lookup.
    private const int MaxIdLength = 64;

    private static readonly ArchivePage Empty = new([], Complete: true, Count: 0, FirstIndex: null);

    public static ArchivePage Query(LiteDB.Engine.ILiteEngine engine, LiteDbNames names, string archive, ArchiveQuery query, CancellationToken cancellationToken)
    {
        var max = Math.Clamp(query.Max, 0, SqliteMessagePager.MaxPage);
        var number = names.Archive(archive);

        // Anchors first: an unknown id is an error even when the result set is empty.
        long? after = query.After is null ? null : Anchor(engine, number, query.After);
        long? before = string.IsNullOrEmpty(query.Before) ? null : Anchor(engine, number, query.Before);
        // After wins when both are given: the page is read forward from it, up to Before if set.
        var backward = query.Before is not null && query.After is null;
        if (number is not { } a || Edge(engine, a, LiteDB.Query.Ascending) is not { } first || Edge(engine, a, LiteDB.Query.Descending) is not { } last)
            return Empty;

        var lo = first.Position;
        var hi = last.Position;
        if (query.Start is { } start && FirstAtOrAfter(engine, a, lo, hi, CeilingMs(start)) is { } from)
            lo = from;
        else if (query.Start is not null)
            return Empty;
        if (query.End is { } end && LastAtOrBefore(engine, a, lo, hi, end.ToUnixTimeMilliseconds()) is { } until)
            hi = until;
        else if (query.End is not null)
            return Empty;
        if (lo > hi)
            return Empty;
        cancellationToken.ThrowIfCancellationRequested();

        var lower = Math.Max(lo, (after ?? long.MinValue) + 1);
        var upper = Math.Min(hi, (before ?? long.MaxValue) - 1);

        if (query.With is null)
        {
            var documents = lower > upper ? [] : Range(engine, "_id", LiteDbKeys.Message(a, lower), LiteDbKeys.Message(a, upper), backward, max + 1);
            var page = Page(documents, max, backward, out var more);
            int? firstIndex = page.Length > 0 ? (int)(LiteDbKeys.PositionOf(documents[backward ? Math.Min(max, documents.Count) - 1 : 0]["_id"].AsInt64) - lo) : null;
            return new ArchivePage(page, Complete: !more, checked((int)(hi - lo + 1)), firstIndex);
        }

        if (names.Sender(query.With) is not { } s)
            return Empty;
        // The sender's first and last message in [lo, hi]: their sender positions bound the count.
        var inRange = Range(engine, "w", LiteDbKeys.Sender(a, s, lo), LiteDbKeys.Sender(a, s, hi), backward: false, 1);
        if (inRange.Count == 0)
            return Empty;
        var lastInRange = Range(engine, "w", LiteDbKeys.Sender(a, s, lo), LiteDbKeys.Sender(a, s, hi), backward: true, 1);
        var firstQ = inRange[0]["q"].AsInt64;
        var count = checked((int)(lastInRange[0]["q"].AsInt64 - firstQ + 1));
        var ofSender = lower > upper ? [] : Range(engine, "w", LiteDbKeys.Sender(a, s, lower), LiteDbKeys.Sender(a, s, upper), backward, max + 1);
        var messages = Page(ofSender, max, backward, out var moreOfSender);
        int? index = messages.Length > 0 ? (int)(ofSender[backward ? Math.Min(max, ofSender.Count) - 1 : 0]["q"].AsInt64 - firstQ) : null;
        return new ArchivePage(messages, Complete: !moreOfSender, count, index);
    }

    /// <summary>The message with archive id <paramref name="id"/>, in any archive; null when none.</summary>
    public static BsonDocument? FindById(LiteDB.Engine.ILiteEngine engine, string id)
    {
        if (id.Length > MaxIdLength)
            return null;
        using var reader = engine.Query(LiteDbBatchWriter.Messages, new LiteDB.Query { Where = { BsonExpression.Create("i = @0", id) }, Limit = 1 });
        return reader.Read() ? reader.Current.AsDocument : null;
    }

    public static ArchivedMessage ToMessage(BsonDocument document, System.Xml.Linq.XElement stanza) => new(
        document["i"].AsString,
        DateTimeOffset.FromUnixTimeMilliseconds(document["t"].AsInt64),
        document["s"].AsString,
        document["n"].IsString ? document["n"].AsString : null,
        stanza,
        document["r"].IsBoolean && document["r"].AsBoolean);

    private static ArchivedMessage[] Page(List<BsonDocument> documents, int max, bool backward, out bool more)
    {
        more = documents.Count > max; // the extra document: the page does not reach the end in its direction
        var taken = documents.Take(max).ToList();
        // Backward pages are read newest first.
        if (backward)
            taken.Reverse();
        var stanzas = StoredStanza.DecodeAll(taken.Select(d => d["z"].AsBinary).ToList());
        var messages = new ArchivedMessage[taken.Count];
        for (var i = 0; i < messages.Length; i++)
            messages[i] = ToMessage(taken[i], stanzas[i]);
        return messages;
    }

    private static long Anchor(LiteDB.Engine.ILiteEngine engine, int? archive, string id)
    {
        var document = FindById(engine, id);
        if (document is null || archive is null || LiteDbKeys.ArchiveOf(document["_id"].AsInt64) != archive)
            throw new ArchiveItemNotFoundException(id);
        return LiteDbKeys.PositionOf(document["_id"].AsInt64);
    }

    private readonly record struct Tail(long Position, long Stamp);

    public static bool HasMessages(LiteDB.Engine.ILiteEngine engine, int archive) => Edge(engine, archive, LiteDB.Query.Ascending) is not null;

    private static Tail? Edge(LiteDB.Engine.ILiteEngine engine, int archive, int order)
    {
        using var reader = engine.Query(LiteDbBatchWriter.Messages, new LiteDB.Query
        {
            Where = { BsonExpression.Create("_id BETWEEN @0 AND @1", LiteDbKeys.Message(archive, 0), LiteDbKeys.Message(archive, LiteDbKeys.MaxPosition)) },
            OrderBy = BsonExpression.Create("_id"),
            Order = order,
            Limit = 1,
            Select = BsonExpression.Create("{ _id, t }"),
        });
        return reader.Read() ? new Tail(LiteDbKeys.PositionOf(reader.Current["_id"].AsInt64), reader.Current["t"].AsInt64) : null;
    }

    private static List<BsonDocument> Range(LiteDB.Engine.ILiteEngine engine, string key, BsonValue from, BsonValue to, bool backward, int limit)
    {
        using var reader = engine.Query(LiteDbBatchWriter.Messages, new LiteDB.Query
        {
            Where = { BsonExpression.Create($"{key} BETWEEN @0 AND @1", from, to) },
            OrderBy = BsonExpression.Create(key),
            Order = backward ? LiteDB.Query.Descending : LiteDB.Query.Ascending,
            Limit = limit,
        });
        var documents = new List<BsonDocument>(Math.Min(limit, 64));
        while (reader.Read())
            documents.Add(reader.Current.AsDocument);
        return documents;
    }

    private static long StampAt(LiteDB.Engine.ILiteEngine engine, int archive, long position)
    {
        using var reader = engine.Query(LiteDbBatchWriter.Messages, new LiteDB.Query
        {
            Where = { BsonExpression.Create("_id = @0", LiteDbKeys.Message(archive, position)) },
            Select = BsonExpression.Create("{ t }"),
        });
        // Positions are dense between the archive's first and last: a gap means a damaged file.
        return reader.Read() ? reader.Current["t"].AsInt64 : throw new InvalidDataException($"message position {position} is missing");
    }

    /// <summary>The first position in [lo, hi] stamped at or after <paramref name="stamp"/>; null when none.</summary>
    private static long? FirstAtOrAfter(LiteDB.Engine.ILiteEngine engine, int archive, long lo, long hi, long stamp)
    {
        if (StampAt(engine, archive, hi) < stamp)
            return null;
        while (lo < hi)
        {
            var mid = lo + (hi - lo) / 2;
            if (StampAt(engine, archive, mid) >= stamp) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    /// <summary>The last position in [lo, hi] stamped at or before <paramref name="stamp"/>; null when none.</summary>
    private static long? LastAtOrBefore(LiteDB.Engine.ILiteEngine engine, int archive, long lo, long hi, long stamp)
    {
        if (StampAt(engine, archive, lo) > stamp)
            return null;
        while (lo < hi)
        {
            var mid = hi - (hi - lo) / 2;
            if (StampAt(engine, archive, mid) <= stamp) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    // Start is inclusive at millisecond resolution: 10.5 ms admits stamps from 11 ms on.
    private static long CeilingMs(DateTimeOffset t)
    {
        var ms = t.ToUnixTimeMilliseconds();
        return DateTimeOffset.FromUnixTimeMilliseconds(ms) < t ? ms + 1 : ms;
    }
}
