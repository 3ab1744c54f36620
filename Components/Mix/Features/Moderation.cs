using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Features;

/// <summary>
/// A moderated room (XEP-0045 §moderated): the unaffiliated enter as visitors, and visitors may not
/// speak; moderators grant voice. Roles otherwise follow affiliations: owners and admins moderate.
/// </summary>
public sealed class Moderation : IRoomFeature, IMessageRule
{
    public const string Field = "Moderated";

    public static bool IsOn(RoomConfig config) => config.Flag(Field, false);

    /// <summary>The role a user enters with.</summary>
    public static Role DefaultRole(Room room, Jid user) => room.AffiliationOf(user) switch
    {
        Affiliation.Owner or Affiliation.Admin => Role.Moderator,
        Affiliation.Member => Role.Participant,
        _ => IsOn(room.Config) ? Role.Visitor : Role.Participant,
    };

    public void Check(Room room, Speech speech)
    {
        if (speech.Occupant is { Role: Role.Visitor })
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "you have no voice in this moderated room"));
    }

    public void Describe(Room room, DiscoInfo info, DataForm roomInfo) =>
        info.AddFeature(IsOn(room.Config) ? "muc_moderated" : "muc_unmoderated");

    public void AddConfigFields(Room room, DataForm form) =>
        form.SetValue("muc#roomconfig_moderatedroom", IsOn(room.Config)).Label = "Only occupants with voice may speak";

    public RoomConfig ApplyConfig(DataForm submitted, RoomConfig config, ConfigChange change) =>
        submitted["muc#roomconfig_moderatedroom"]?.AsBoolean() is { } on ? config.With(Field, on) : config;
}
