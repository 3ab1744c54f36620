using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Archive;
using XmppGroupChat.Component;
using XmppGroupChat.Mix.Delivery;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Mix;

/// <summary>What every MIX handler shares: the rooms, the archive, delivery, and the link.</summary>
public sealed class MixService(
    RoomRegistry rooms,
    IMessageArchive archive,
    Broadcaster broadcaster,
    IStanzaSender sender,
    MixSettings settings,
    Invitations invitations,
    ILogger logger)
{
    public Invitations Invitations => invitations;

    /// <summary>Tells the other faces that a participant came online, changed presence, changed nick or left.</summary>
    public Func<Room, Participant, CancellationToken, ValueTask>? ParticipantPresenceChanged { get; set; }

    /// <summary>Whether a nick is held on another face by someone else (a MUC occupant), checked under the room's lock.</summary>
    public Func<Room, string, Jid, bool>? NickHeldElsewhere { get; set; }

    /// <summary>Destroys a room on every face, telling the other faces' occupants (set by the MUC face).</summary>
    public Func<Room, CancellationToken, ValueTask>? DestroyEverywhere { get; set; }

    /// <summary>The MIX-PRESENCE path, for the other faces' occupants to appear on this one.</summary>
    public ChannelPresence Presence { get; set; } = null!;

    /// <summary>The message path shared with the other faces (set when the MIX face is wired).</summary>
    public ChannelMessages Messages { get; set; } = null!;

    /// <summary>Deliveries of a channel message to the room's other faces (the MUC occupants), if any.</summary>
    public Func<Room, ArchivedMessage, IEnumerable<DeliveryGroup>>? OtherFaces { get; set; }
    public RoomRegistry Rooms => rooms;
    public IMessageArchive Archive => archive;
    public Broadcaster Broadcaster => broadcaster;
    public IStanzaSender Sender => sender;
    public MixSettings Settings => settings;
    public ILogger Logger => logger;
    public Jid Domain => sender.Domain;

    /// <summary>The room a stanza is addressed to, or item-not-found.</summary>
    public Room RequireRoom(XElement stanza)
    {
        var to = stanza.GetTo()!;
        return (to.Local is null ? null : rooms.Find(to.Bare))
               ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, $"no channel {to.Bare}"));
    }

    /// <summary>The sender's participant entry, or forbidden.</summary>
    public static Participant RequireParticipant(Room room, Jid from)
    {
        lock (room.Sync)
            return room.FindParticipant(from.Bare)
                   ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "only participants may do this"));
    }

    /// <summary>Where a participant's notifications go: the full JIDs known online.</summary>
    public static List<Jid> TargetsOf(Participant p) => p.DeliveryTargets.ToList();

    /// <summary>All delivery targets of the subscribers of <paramref name="node"/>, grouped by dialect.</summary>
    public static Dictionary<XNamespace, List<Jid>> SubscriberTargets(Room room, string node) =>
        SubscriberTargets(room, node, p => p.Dialect);

    /// <summary>
    /// The online resources of the subscribers of <paramref name="node"/>, grouped by what their
    /// copy depends on (dialect, whether they may see real JIDs...), so each group gets one
    /// serialisation. Read under the room's lock; the lists are the caller's.
    /// </summary>
    public static Dictionary<TKey, List<Jid>> SubscriberTargets<TKey>(Room room, string node, Func<Participant, TKey> groupOf,
        Func<Participant, bool>? include = null) where TKey : notnull
    {
        var groups = new Dictionary<TKey, List<Jid>>();
        lock (room.Sync)
        {
            foreach (var p in room.Participants)
            {
                if (!p.IsSubscribed(node) || !p.Reachable || (include != null && !include(p))) continue;
                var key = groupOf(p);
                if (!groups.TryGetValue(key, out var list)) groups[key] = list = new List<Jid>();
                list.AddRange(p.DeliveryTargets);
            }
        }
        return groups;
    }

    /// <summary>Whether <paramref name="viewer"/> may see participants' real JIDs in this room.</summary>
    public static bool ShowsJidsTo(Room room, Jid viewer) => room.Config.JidsVisible || room.IsAdmin(viewer);
}
