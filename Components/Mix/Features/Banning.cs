using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Features;

/// <summary>Outcasts (XEP-0045 §ban; the MIX banned node, XEP-0406) enter on neither face.</summary>
public sealed class Banning : IRoomFeature, IJoinRule
{
    public void Check(Room room, JoinAttempt attempt)
    {
        if (room.IsBanned(attempt.User))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden,
                attempt.Face == Face.Mix ? "you are banned from this channel" : "you are banned from this room"));
    }
}
