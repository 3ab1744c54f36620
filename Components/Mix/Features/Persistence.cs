using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Features;

/// <summary>
/// Whether a room outlives its last occupant (muc#roomconfig_persistentroom). MIX channels are
/// persistent; a room created on the MUC face is temporary until configured otherwise (like Prosody),
/// which is the OLPC activity profile.
/// </summary>
public sealed class Persistence : IRoomFeature
{
    public const string Field = "Persistent";

    public static bool IsPersistent(RoomConfig config) => config.Flag(Field, true);

    public void Describe(Room room, DiscoInfo info, DataForm roomInfo) =>
        info.AddFeature(IsPersistent(room.Config) ? "muc_persistent" : "muc_temporary");

    public void AddConfigFields(Room room, DataForm form) =>
        form.SetValue("muc#roomconfig_persistentroom", IsPersistent(room.Config)).Label = "Keep the room when it is empty";

    public RoomConfig ApplyConfig(DataForm submitted, RoomConfig config, ConfigChange change) =>
        submitted["muc#roomconfig_persistentroom"]?.AsBoolean() is { } on ? config.With(Field, on) : config;
}
