namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>The last few ids seen, oldest forgotten first: bounded memory for echo suppression.</summary>
public sealed class RecentIds(int capacity)
{
    private readonly HashSet<string> _set = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public void Add(string id)
    {
        if (!_set.Add(id)) return;
        _order.Enqueue(id);
        if (_order.Count > capacity) _set.Remove(_order.Dequeue());
    }

    public bool Contains(string? id) => id is not null && _set.Contains(id);
}
