using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Features;

/// <summary>The room's name and description (muc#roomconfig_roomname / _roomdesc; the MIX info node's Name and Description).</summary>
public sealed class RoomNaming : IRoomFeature
{
    public const string NameField = "Name";
    public const string DescriptionField = "Description";

    public static string? Name(RoomConfig config) => config.Get(NameField);
    public static string? Description(RoomConfig config) => config.Get(DescriptionField);

    public void Describe(Room room, DiscoInfo info, DataForm roomInfo)
    {
        roomInfo.SetValue("muc#roominfo_description", Description(room.Config) ?? "", DataFormFieldType.TextSingle);
        roomInfo.SetValue("muc#roomconfig_roomname", Name(room.Config) ?? "", DataFormFieldType.TextSingle);
    }

    public void AddConfigFields(Room room, DataForm form)
    {
        form.SetValue("muc#roomconfig_roomname", Name(room.Config) ?? "", DataFormFieldType.TextSingle).Label = "Name";
        form.SetValue("muc#roomconfig_roomdesc", Description(room.Config) ?? "", DataFormFieldType.TextSingle).Label = "Description";
    }

    public RoomConfig ApplyConfig(DataForm submitted, RoomConfig config, ConfigChange change)
    {
        config = Text(submitted, "muc#roomconfig_roomname", config, NameField);
        return Text(submitted, "muc#roomconfig_roomdesc", config, DescriptionField);
    }

    private static RoomConfig Text(DataForm form, string var, RoomConfig config, string field) =>
        form[var] is { } f ? config.With(field, f.Values.Count == 0 ? [] : [string.Join("\n", f.Values)]) : config;
}
