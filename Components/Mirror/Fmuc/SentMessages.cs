using System.Xml.Linq;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>The last few messages a session sent upstream, by id, oldest forgotten first, each with whether it was resent already.</summary>
public sealed class SentMessages(int capacity)
{
    private readonly Dictionary<string, (XElement Message, bool Resent)> _byId = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public void Add(string id, XElement message, bool resent = false)
    {
        if (!_byId.ContainsKey(id))
        {
            _order.Enqueue(id);
            if (_order.Count > capacity) _byId.Remove(_order.Dequeue());
        }
        _byId[id] = (message, resent);
    }

    /// <summary>The message with <paramref name="id"/>, if it is still known.</summary>
    public (XElement Message, bool Resent)? Find(string? id) => id != null && _byId.TryGetValue(id, out var sent) ? sent : null;
}
