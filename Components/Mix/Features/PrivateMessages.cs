using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Features;

/// <summary>Private messages between occupants (muc#roomconfig_allowpm): anyone, or nobody. Default: anyone.</summary>
public sealed class PrivateMessages : IRoomFeature
{
    public const string Field = "Occupant Private Messages";

    public static bool Allowed(RoomConfig config) => config.Flag(Field, true);

    public void AddConfigFields(Room room, DataForm form)
    {
        var pm = form.SetValue("muc#roomconfig_allowpm", Allowed(room.Config) ? "anyone" : "none", DataFormFieldType.ListSingle);
        pm.Label = "Who may send private messages";
        pm.Options.Add(new DataFormOption("Anyone", "anyone"));
        pm.Options.Add(new DataFormOption("Nobody", "none"));
    }

    public RoomConfig ApplyConfig(DataForm submitted, RoomConfig config, ConfigChange change) =>
        submitted.GetValue("muc#roomconfig_allowpm") is { } pm ? config.With(Field, pm is not ("none" or "0" or "false")) : config;
}
