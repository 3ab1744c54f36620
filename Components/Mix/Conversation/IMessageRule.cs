using XmppGroupChat.Mix.Rooms;

namespace XmppGroupChat.Mix.Conversation;

/// <summary>
/// A room rule every message is checked against before it is archived, whatever face it came by
/// (a room feature such as moderation). Throws a <see cref="Xmpp.StanzaErrorException"/> to refuse it.
/// </summary>
public interface IMessageRule
{
    void Check(Room room, Speech speech);
}
