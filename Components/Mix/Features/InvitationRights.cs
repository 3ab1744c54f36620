using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Features;

/// <summary>
/// Whether participants, not only admins, may invite (muc#roomconfig_allowinvites; XEP-0406 "Participation
/// Addition by Invitation from Participant"). Default: they may.
/// </summary>
public sealed class InvitationRights : IRoomFeature
{
    public const string Field = "Participants May Invite";

    public static bool ByParticipants(RoomConfig config) => config.Flag(Field, true);

    public void AddConfigFields(Room room, DataForm form) =>
        form.SetValue("muc#roomconfig_allowinvites", ByParticipants(room.Config)).Label = "Occupants may invite";

    public RoomConfig ApplyConfig(DataForm submitted, RoomConfig config, ConfigChange change) =>
        submitted["muc#roomconfig_allowinvites"]?.AsBoolean() is { } on ? config.With(Field, on) : config;
}
