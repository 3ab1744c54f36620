using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Component;
using XmppGroupChat.Mix.Channels;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Features;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Muc;

/// <summary>
/// What every handler of the MUC face (muc.&lt;server&gt;) shares: the rooms (the same ones the MIX
/// face serves), the conversation, the room features, this face's link and settings, the key behind
/// occupant ids, and the relays whose word about their users it takes. Handlers for a room run on
/// that room's executor.
/// </summary>
public sealed class MucService(
    RoomRegistry rooms,
    RoomConversation conversation,
    RoomFeatures features,
    MucAddresses addresses,
    MixSettings settings,
    RelayTrust relays,
    ILogger logger) : IMucAddressing
{
    public static readonly XNamespace OccupantIdNs = "urn:xmpp:occupant-id:0";

    public RoomRegistry Rooms => rooms;
    public RoomConversation Conversation => conversation;
    public RoomFeatures Features => features;
    public IStanzaSender Sender => addresses.Sender;
    public MixSettings Settings => settings;
    public ILogger Logger => logger;

    /// <summary>The mirrors and replicas whose word about their users this room host takes (FMUC, DMUC2).</summary>
    public RelayTrust Relays => relays;

    public Jid Domain => addresses.Domain;

    public Jid RoomJid(Room room) => addresses.RoomJid(room);

    public string OccupantJid(Room room, string nick) => addresses.OccupantJid(room, nick);

    public string OccupantId(Room room, Jid user) => addresses.OccupantId(room, user);

    /// <summary>The room a stanza is addressed to on this face, or null.</summary>
    public Room? FindRoom(XElement stanza) => stanza.GetTo() is { Local: { } local } ? rooms.Find(local) is { Removed: false } room ? room : null : null;

    public Room RequireRoom(XElement stanza) => FindRoom(stanza)
        ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, "no such room"));

    /// <summary>The address a room created on this face gets: rooms are keyed by their MIX address.</summary>
    public Jid NewRoomJid(string local) => Jid.Create(local, rooms.MixDomain.Domain);

    /// <summary>Who is really behind an address: a relay's proxy session stands for the user it vouched for.</summary>
    public static Jid RealJidOf(Room room, Jid from) => room.FindOccupantBySession(from)?.RealJidOf(from) ?? from;

    /// <summary>Whether <paramref name="viewer"/> sees occupants' real JIDs: in a non-anonymous room everyone, else moderators.</summary>
    public static bool SeesJids(Room room, Jid viewer) =>
        JidVisibility.ToEveryone(room.Config) || room.IsAdmin(viewer) || room.FindOccupantByJid(viewer)?.Role == Role.Moderator;

    /// <summary>Sends stanzas to recipients on this face's link, one serialisation each.</summary>
    public ValueTask SendAsync(XElement stanza, Jid to, CancellationToken ct)
    {
        var deliveries = new Deliveries();
        deliveries.Add(addresses.Sender, stanza, to);
        return deliveries.SendAsync(ct);
    }
}
