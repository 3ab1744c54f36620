using XmppGroupChat.Mix.Channels;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Features;

/// <summary>
/// Members-only (XEP-0045 muc#roomconfig_membersonly; on the MIX face, the allowed node of XEP-0406):
/// only members, admins and owners enter. On the MUC face anyone else gets registration-required; on
/// the MIX face forbidden, unless a valid XEP-0407 invitation admits them (they then become members).
/// Turning it on removes the non-members present (status 322).
/// </summary>
public sealed class MembersOnly(IInvitationCheck invitations) : IRoomFeature, IJoinRule
{
    public const string Field = "Allowed Only";

    public static bool IsOn(RoomConfig config) => config.Flag(Field, false);

    /// <summary>Whether the user may be in the room as far as membership goes.</summary>
    public static bool Admits(Room room, Jid user) => !IsOn(room.Config) || room.AffiliationOf(user).IsMemberOrAbove();

    public void Check(Room room, JoinAttempt attempt)
    {
        if (Admits(room, attempt.User)) return;
        if (attempt.Face == Face.Muc)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.RegistrationRequired, "this room is members-only"));
        if (!invitations.Admits(room, attempt.User, attempt.Request))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "this channel admits only JIDs on its allowed list"));
        attempt.AdmittedByInvitation = true;
    }

    public void Describe(Room room, DiscoInfo info, DataForm roomInfo) =>
        info.AddFeature(IsOn(room.Config) ? "muc_membersonly" : "muc_open");

    public void AddConfigFields(Room room, DataForm form) =>
        form.SetValue("muc#roomconfig_membersonly", IsOn(room.Config)).Label = "Members only";

    public RoomConfig ApplyConfig(DataForm submitted, RoomConfig config, ConfigChange change) =>
        submitted["muc#roomconfig_membersonly"]?.AsBoolean() is { } on ? config.With(Field, on) : config;
}
