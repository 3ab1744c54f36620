using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Features;

/// <summary>
/// A room created by entering it on the MUC face is locked until its owner submits the configuration
/// form (an empty submit makes an instant room, XEP-0045 §createroom): only the owner may enter, and the
/// room is not listed meanwhile.
/// </summary>
public sealed class RoomLock : IRoomFeature, IJoinRule
{
    public void Check(Room room, JoinAttempt attempt)
    {
        if (attempt.Face == Face.Muc && room.Locked && !room.IsOwner(attempt.User))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, "the room is being set up; try again shortly"));
    }
}
