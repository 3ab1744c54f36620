using System.Security.Cryptography;
using System.Text;
using XmppGroupChat.Component;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Muc;

/// <summary>What rendering a room on the MUC face needs: its link, and how rooms and occupants are addressed there.</summary>
public interface IMucAddressing
{
    IStanzaSender Sender { get; }

    /// <summary>The room's address on this face.</summary>
    Jid RoomJid(Room room);

    /// <summary>A room's occupant address on this face.</summary>
    string OccupantJid(Room room, string nick);

    /// <summary>XEP-0421 occupant id of a user in a room.</summary>
    string OccupantId(Room room, Jid user);
}

/// <summary>
/// The MUC face's addressing: room@muc.&lt;server&gt;, room@muc.&lt;server&gt;/nick, and XEP-0421 occupant
/// ids (a keyed hash of room and real JID, stable across nick changes and restarts, revealing nothing).
/// </summary>
public sealed class MucAddresses(IStanzaSender sender, byte[] occupantIdKey) : IMucAddressing
{
    public IStanzaSender Sender => sender;
    public Jid Domain => sender.Domain;

    public Jid RoomJid(Room room) => Jid.Create(room.Jid.Local, Domain.Domain);

    public string OccupantJid(Room room, string nick) => $"{room.Jid.Local}@{Domain.Domain}/{nick}";

    public string OccupantId(Room room, Jid user)
    {
        var mac = HMACSHA256.HashData(occupantIdKey, Encoding.UTF8.GetBytes($"{room.Jid.Bare}\n{user.Bare}"));
        return Convert.ToBase64String(mac, 0, 15).Replace('+', '-').Replace('/', '_');
    }
}
