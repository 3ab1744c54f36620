using System.Xml.Linq;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Conversation;

/// <summary>
/// Someone's presence in the room changed on one face: a MUC occupant's client came, changed status
/// or left (<see cref="Occupant"/> set), or a MIX participant came online, changed nick or presence,
/// or left (<see cref="Participant"/> set). The other faces show it to their people; the face it
/// happened on has shown it already, in its own protocol's detail.
/// </summary>
public sealed record PresenceChange(Face Origin, Speaker Who, Jid Session, XElement? Payload, Occupant? Occupant = null, Participant? Participant = null)
{
    public bool IsUnavailable => Payload is null;
}
