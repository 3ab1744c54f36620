using System.Xml.Linq;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Channels;

/// <summary>
/// Whether a join request carries a valid invitation (XEP-0407 §invitation) that admits the
/// joiner to an allowed-only channel. Called on the room's executor; must not wait for anything.
/// </summary>
public interface IInvitationCheck
{
    bool Admits(Room room, Jid joiner, XElement join);
}
