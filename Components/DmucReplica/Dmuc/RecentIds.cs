namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>The primary's stanza-ids the replica holds most recently, to drop a copy it already has; bounded.</summary>
public sealed class RecentIds(int capacity)
{
    private readonly HashSet<string> _set = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public bool Contains(string id) => _set.Contains(id);

    public void Add(string id)
    {
        if (!_set.Add(id)) return;
        _order.Enqueue(id);
        while (_order.Count > capacity) _set.Remove(_order.Dequeue());
    }
}
