using XmppGroupChat.Mix.Rooms;

namespace XmppGroupChat.Mix.Features;

/// <summary>
/// One rule for entering a room (a MUC join or a MIX join), checked in the order of
/// <see cref="RoomFeatures.JoinRules"/>; throws a <see cref="Xmpp.StanzaErrorException"/> with the
/// XEP's condition to refuse. Runs on the room's executor and must not wait for anything.
/// </summary>
public interface IJoinRule
{
    void Check(Room room, JoinAttempt attempt);
}
