using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Features;

/// <summary>Whether the services list the room in disco#items (muc#roomconfig_publicroom; ad-hoc MIX channels are not).</summary>
public sealed class PublicListing : IRoomFeature
{
    public const string Field = "Public";

    public static bool IsPublic(RoomConfig config) => config.Flag(Field, true);

    public static bool IsListed(Room room) => IsPublic(room.Config) && !room.Locked && !room.Removed;

    public void Describe(Room room, DiscoInfo info, DataForm roomInfo) =>
        info.AddFeature(room.Config.Flag(Field, true) ? "muc_public" : "muc_hidden");

    public void AddConfigFields(Room room, DataForm form) =>
        form.SetValue("muc#roomconfig_publicroom", room.Config.Flag(Field, true)).Label = "List the room publicly";

    public RoomConfig ApplyConfig(DataForm submitted, RoomConfig config, ConfigChange change) =>
        submitted["muc#roomconfig_publicroom"]?.AsBoolean() is { } on ? config.With(Field, on) : config;
}
