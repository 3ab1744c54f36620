using System.Xml.Linq;

namespace XmppGroupChat.Archive;

/// <summary>The relay room store (IRelayRoomStore): writes through the writer queue, so each completes after its commit.</summary>
public sealed partial class SqliteArchive
{
    public Task<IReadOnlyList<RelayRoomRecord>> LoadRelayRoomsAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return Task.FromResult(Read(SqliteRelayRoomSql.LoadRooms, cancellationToken));
        }
        catch (Exception e)
        {
            return Task.FromException<IReadOnlyList<RelayRoomRecord>>(e);
        }
    }

    public Task SaveRelayRoomAsync(string room, XElement state, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        ArgumentNullException.ThrowIfNull(state);
        var copy = new XElement(state); // the caller may change its element once this returns
        return RunWriteAsync(writer => { SqliteRelayRoomSql.SaveRoom(writer, room, copy); return true; }, cancellationToken);
    }

    public Task DeleteRelayRoomAsync(string room, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        return RunWriteAsync(writer => { SqliteRelayRoomSql.DeleteRoom(writer, room); return true; }, cancellationToken);
    }

    public Task SaveRelayEntryAsync(string room, RelayEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        Validate(entry);
        var copy = entry with { Value = new XElement(entry.Value) };
        return RunWriteAsync(writer => { SqliteRelayRoomSql.SaveEntry(writer, room, copy); return true; }, cancellationToken);
    }

    public Task DeleteRelayEntryAsync(string room, string kind, string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(key);
        return RunWriteAsync(writer => { SqliteRelayRoomSql.DeleteEntry(writer, room, kind, key); return true; }, cancellationToken);
    }

    public Task ReplaceRelayEntriesAsync(string room, string kind, IReadOnlyList<RelayEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries) Validate(entry);
        var copies = entries.Select(e => e with { Value = new XElement(e.Value) }).ToList();
        return RunWriteAsync(writer => { SqliteRelayRoomSql.ReplaceEntries(writer, room, kind, copies); return true; }, cancellationToken);
    }

    private static void Validate(RelayEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.Kind);
        ArgumentNullException.ThrowIfNull(entry.Key);
        ArgumentNullException.ThrowIfNull(entry.Value);
    }
}
