using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Features;

/// <summary>
/// Nicks in a room, the same rules on both faces: one nick belongs to one user, whether they hold it as
/// a MUC occupant or a MIX participant (case-insensitively for participants, as XEP-0369 compares
/// them); a nick registered with the service (XEP-0407, the seed's register) is its owner's; and a
/// channel with Mandatory Nicks (XEP-0406, the default) takes no participant without one.
/// </summary>
public sealed class NickRules(RoomRegistry rooms) : IRoomFeature, IJoinRule
{
    public const string MandatoryField = "Mandatory Nicks";

    public static bool Mandatory(RoomConfig config) => config.Flag(MandatoryField, true);

    public void Check(Room room, JoinAttempt attempt)
    {
        if (attempt.Nick is null)
        {
            if (attempt.Face == Face.Mix && Mandatory(room.Config))
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable, "this channel requires a nick"));
            return;
        }
        // A repeated MUC join, or a second client of the same occupant, keeps what it holds.
        RequireFree(room, attempt.Nick, attempt.User, checkRegistration: attempt.ExistingOccupant is null);
    }

    /// <summary>Conflict unless <paramref name="nick"/> is free for <paramref name="user"/> in this room (joins, nick changes, registrations).</summary>
    public void RequireFree(Room room, string nick, Jid user, bool checkRegistration = true)
    {
        var bare = user.Bare;
        if (room.FindOccupant(nick) is { } occupant && !occupant.BareJid.Equals(bare) || HeldByOtherParticipant(room, nick, bare))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Conflict, $"the nick '{nick}' is in use in this room"));
        if (checkRegistration && rooms.NickOwner(nick) is { } owner && !owner.BareEquals(bare))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Conflict, $"the nick '{nick}' is registered by someone else"));
    }

    /// <summary>Trims a nick; empty means none. Nicks are limited like a JID resource (1023 bytes), without control characters.</summary>
    public static string? Normalize(string? nick)
    {
        nick = nick?.Trim();
        if (string.IsNullOrEmpty(nick)) return null;
        if (System.Text.Encoding.UTF8.GetByteCount(nick) > 1023 || nick.Any(char.IsControl))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable, "nicks are at most 1023 bytes, without control characters"));
        return nick;
    }

    private static bool HeldByOtherParticipant(Room room, string nick, Jid user) =>
        room.Participants.Any(p => p.Nick != null && string.Equals(p.Nick, nick, StringComparison.OrdinalIgnoreCase) && !p.BareJid.Equals(user));
}
