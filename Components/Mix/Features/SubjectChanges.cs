using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Features;

/// <summary>Who may change the subject: moderators, or every occupant (muc#roomconfig_changesubject). The subject is in muc#roominfo.</summary>
public sealed class SubjectChanges : IRoomFeature
{
    public const string Field = "Occupants Change Subject";

    public static bool ByOccupants(RoomConfig config) => config.Flag(Field, false);

    /// <summary>Forbidden unless this occupant may change the subject.</summary>
    public static void RequireAllowed(Room room, Occupant occupant)
    {
        if (occupant.Role != Role.Moderator && !ByOccupants(room.Config))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "only moderators may change the subject of this room"));
    }

    public void Describe(Room room, DiscoInfo info, DataForm roomInfo)
    {
        roomInfo.SetValue("muc#roominfo_subject", room.Subject ?? "", DataFormFieldType.TextSingle);
        roomInfo.SetValue("muc#roomconfig_changesubject", ByOccupants(room.Config));
    }

    public void AddConfigFields(Room room, DataForm form) =>
        form.SetValue("muc#roomconfig_changesubject", ByOccupants(room.Config)).Label = "Occupants may change the subject";

    public RoomConfig ApplyConfig(DataForm submitted, RoomConfig config, ConfigChange change) =>
        submitted["muc#roomconfig_changesubject"]?.AsBoolean() is { } on ? config.With(Field, on) : config;
}
