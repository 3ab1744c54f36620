using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Features;

/// <summary>
/// One room feature (Prosody's plugins/muc style: password, members-only, ...), in one file: what it
/// adds to the room's disco#info and muc#roominfo, to the owner's muc#roomconfig form, and how it
/// takes a submitted form. A feature that also rules who may join or speak implements
/// <see cref="IJoinRule"/> or <see cref="Conversation.IMessageRule"/> as well.
/// </summary>
public interface IRoomFeature
{
    /// <summary>The room's disco#info features and muc#roominfo fields (XEP-0045 §disco-roominfo).</summary>
    void Describe(Room room, DiscoInfo info, DataForm roomInfo) { }

    /// <summary>This feature's fields in the owner's form, with their current values.</summary>
    void AddConfigFields(Room room, DataForm form) { }

    /// <summary>Takes the submitted form's fields that are this feature's; returns the new configuration.</summary>
    RoomConfig ApplyConfig(DataForm submitted, RoomConfig config, ConfigChange change) => config;
}

/// <summary>What a configuration change calls for beyond the stored fields: XEP-0045 §roomconfig-notify status codes.</summary>
public sealed class ConfigChange
{
    public List<int> StatusCodes { get; } = [];
}
