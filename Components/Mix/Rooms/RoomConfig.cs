namespace XmppGroupChat.Mix.Rooms;

/// <summary>
/// A room's configuration as field var → values: the shape it is stored and exchanged in (data
/// forms), so a room feature adds a field without a schema change. Immutable: a change makes a new
/// configuration that replaces the room's whole, so the service can list rooms (disco#items) while
/// a room's own executor reconfigures it. Each feature in Features/ reads its own fields.
/// </summary>
public sealed class RoomConfig
{
    private readonly Dictionary<string, IReadOnlyList<string>> _fields;

    public static RoomConfig Empty { get; } = new();

    public RoomConfig(IReadOnlyDictionary<string, IReadOnlyList<string>>? fields = null) =>
        _fields = fields is null ? new() : new Dictionary<string, IReadOnlyList<string>>(fields);

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Fields => _fields;

    public string? Get(string field) => _fields.TryGetValue(field, out var v) && v.Count > 0 ? v[0] : null;

    public IReadOnlyList<string> GetAll(string field) => _fields.TryGetValue(field, out var v) ? v : [];

    /// <summary>A copy with <paramref name="field"/> set to <paramref name="values"/>.</summary>
    public RoomConfig With(string field, params string[] values)
    {
        var copy = new RoomConfig(_fields);
        copy._fields[field] = values;
        return copy;
    }

    public RoomConfig With(string field, bool value) => With(field, value ? "true" : "false");

    /// <summary>A yes/no field: "1"/"true" or "0"/"false"; anything else (or nothing) is <paramref name="fallback"/>.</summary>
    public bool Flag(string field, bool fallback) => Get(field) switch
    {
        "1" or "true" => true,
        "0" or "false" => false,
        _ => fallback,
    };
}
