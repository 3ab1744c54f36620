using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Component;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Features;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Channels;

/// <summary>
/// What every handler of the MIX face (mix.&lt;server&gt;) shares: the rooms, the conversation they
/// speak into, the room features, this face's link and settings. Handlers that act on a channel run
/// on that channel's executor (the dispatcher puts them there), so they read and change it freely.
/// </summary>
public sealed class ChannelService(
    RoomRegistry rooms,
    RoomConversation conversation,
    RoomFeatures features,
    IStanzaSender sender,
    MixSettings settings,
    Invitations invitations,
    ILogger logger)
{
    public RoomRegistry Rooms => rooms;
    public RoomConversation Conversation => conversation;
    public RoomFeatures Features => features;
    public IStanzaSender Sender => sender;
    public MixSettings Settings => settings;
    public Invitations Invitations => invitations;
    public ILogger Logger => logger;
    public Jid Domain => sender.Domain;

    /// <summary>The room a stanza is addressed to, or item-not-found.</summary>
    public Room RequireRoom(XElement stanza)
    {
        var to = stanza.GetTo()!;
        return rooms.Find(to) is { Removed: false } room ? room
            : throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, $"no channel {to.Bare}"));
    }

    /// <summary>The sender's participant entry, or forbidden.</summary>
    public static Participant RequireParticipant(Room room, Jid from) =>
        room.FindParticipant(from.Bare)
        ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "only participants may do this"));

    /// <summary>All delivery targets of the subscribers of <paramref name="node"/>, grouped by dialect.</summary>
    public static Dictionary<XNamespace, List<Jid>> SubscriberTargets(Room room, string node) =>
        SubscriberTargets(room, node, p => p.Dialect);

    /// <summary>
    /// Where the subscribers of <paramref name="node"/> get what the channel sends, grouped by what
    /// their copy depends on (dialect, whether they may see real JIDs...), so each group gets one serialisation.
    /// </summary>
    public static Dictionary<TKey, List<Jid>> SubscriberTargets<TKey>(Room room, string node, Func<Participant, TKey> groupOf,
        Func<Participant, bool>? include = null) where TKey : notnull
    {
        var groups = new Dictionary<TKey, List<Jid>>();
        foreach (var p in room.Participants)
        {
            if (!p.IsSubscribed(node) || !p.Reachable || (include != null && !include(p))) continue;
            var key = groupOf(p);
            if (!groups.TryGetValue(key, out var list)) groups[key] = list = new List<Jid>();
            list.AddRange(p.DeliveryTargets);
        }
        return groups;
    }

    /// <summary>Whether <paramref name="viewer"/> may see participants' real JIDs in this room.</summary>
    public static bool ShowsJidsTo(Room room, Jid viewer) => JidVisibility.ToEveryone(room.Config) || room.IsAdmin(viewer);

    /// <summary>Sends one template to recipients on this face's link.</summary>
    public ValueTask SendAsync(XElement template, IReadOnlyList<Jid> recipients, CancellationToken ct)
    {
        var deliveries = new Deliveries();
        deliveries.Add(sender, template, recipients);
        return deliveries.SendAsync(ct);
    }
}
