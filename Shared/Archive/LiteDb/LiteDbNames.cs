using System.Collections.Concurrent;
using LiteDB;
using LiteDB.Engine;

namespace XmppGroupChat.Archive;

/// <summary>
/// The numbers that stand for archive names and sender JIDs in message keys (<see cref="LiteDbKeys"/>),
/// as committed: readers look names up here, the batch writer publishes a new number only after the
/// commit that stored it (a number from a rolled-back batch may be given to another name later).
/// A name once numbered keeps its number for the life of the file, so what is cached stays true.
/// </summary>
internal sealed class LiteDbNames(ILiteEngine engine)
{
    public const string Archives = "archives";
    public const string Senders = "senders";

    private readonly ConcurrentDictionary<string, int> _archives = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _senders = new(StringComparer.Ordinal);

    /// <summary>The archive's number, or null when nothing was ever archived under that name.</summary>
    public int? Archive(string name) => Find(_archives, Archives, name);

    /// <summary>The sender's number, or null when the JID never sent anything.</summary>
    public int? Sender(string jid) => Find(_senders, Senders, jid);

    public void PublishArchive(string name, int number) => _archives[name] = number;

    public void PublishSender(string jid, int number) => _senders[jid] = number;

    private int? Find(ConcurrentDictionary<string, int> cache, string collection, string name)
    {
        if (cache.TryGetValue(name, out var number))
            return number;
        using var reader = engine.Query(collection, new Query { Where = { BsonExpression.Create("name = @0", LiteDbText.Key(name)) }, Limit = 1 });
        if (!reader.Read())
            return null;
        number = reader.Current["_id"].AsInt32;
        cache.TryAdd(name, number);
        return number;
    }
}
