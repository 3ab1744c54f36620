using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Archive;
using XmppGroupChat.Component;
using XmppGroupChat.Mix.Delivery;
using XmppGroupChat.Mix.Mix;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Muc;

/// <summary>
/// What every MUC handler shares: the rooms (the same ones the MIX face serves), the archive,
/// delivery, this face's link, and the MIX face's message path, so one conversation has one
/// archive and one order whichever face a message came in by.
/// </summary>
public sealed class MucService(
    RoomRegistry rooms,
    IMessageArchive archive,
    Broadcaster broadcaster,
    IStanzaSender sender,
    Func<MixService?> mixFace,
    MixSettings settings,
    byte[] occupantIdKey,
    ILogger logger,
    RelayTrust? relays = null)
{
    public static readonly XNamespace OccupantIdNs = "urn:xmpp:occupant-id:0";

    public RoomRegistry Rooms => rooms;
    public IMessageArchive Archive => archive;
    public Broadcaster Broadcaster => broadcaster;
    public IStanzaSender Sender => sender;
    public MixService? Mix => mixFace();
    public MixSettings Settings => settings;
    public ILogger Logger => logger;

    /// <summary>The mirrors and replicas whose word about their users this room host takes (FMUC, DMUC2).</summary>
    public RelayTrust Relays { get; } = relays ?? new RelayTrust();

    /// <summary>The DMUC2 primary, when replicas are configured (Dmuc:Replicas).</summary>
    public Dmuc.DmucPrimary? Dmuc { get; set; }
    public Jid Domain => sender.Domain;

    /// <summary>The room's address on this face.</summary>
    public Jid RoomJid(Room room) => Jid.Create(room.Jid.Local, Domain.Domain);

    /// <summary>A room's occupant address on this face.</summary>
    public string OccupantJid(Room room, string nick) => $"{room.Jid.Local}@{Domain.Domain}/{nick}";

    /// <summary>The room a stanza is addressed to on this face, or null.</summary>
    public Room? FindRoom(XElement stanza) => stanza.GetTo() is { Local: { } local } ? rooms.Find(Jid.Create(local, RoomDomain)) : null;

    public Room RequireRoom(XElement stanza) => FindRoom(stanza)
        ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, "no such room"));

    /// <summary>Rooms are keyed by their MIX address; the MUC face names the same room on its own domain.</summary>
    public string RoomDomain => Mix?.Domain.Domain ?? settings.MixDomain;

    /// <summary>XEP-0421 occupant id: a keyed hash of room and real JID, stable across nick changes and restarts.</summary>
    public string OccupantId(Room room, Jid user)
    {
        var mac = HMACSHA256.HashData(occupantIdKey, Encoding.UTF8.GetBytes($"{room.Jid.Bare}\n{user.Bare}"));
        return Convert.ToBase64String(mac, 0, 15).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Who is really behind an address: a relay's proxy session stands for the user it vouched for.</summary>
    public static Jid RealJidOf(Room room, Jid from) => room.FindOccupantBySession(from)?.RealJidOf(from) ?? from;

    /// <summary>MUC roles follow affiliations: owners and admins moderate; in a moderated room the unaffiliated are visitors.</summary>
    public static string DefaultRole(Room room, Jid user) => room.AffiliationOf(user) switch
    {
        "owner" or "admin" => "moderator",
        "member" => "participant",
        _ => room.Config.Moderated ? "visitor" : "participant",
    };

    /// <summary>Whether <paramref name="viewer"/> sees occupants' real JIDs: in a non-anonymous room everyone, else moderators.</summary>
    public static bool SeesJids(Room room, Jid viewer) =>
        room.Config.JidsVisible || room.IsAdmin(viewer) || room.FindOccupantByJid(viewer)?.Role == "moderator";
}
