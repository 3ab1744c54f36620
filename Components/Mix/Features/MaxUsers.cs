using System.Globalization;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Features;

/// <summary>
/// The most occupants a room takes (muc#roomconfig_maxusers): a newcomer beyond it gets
/// service-unavailable of type wait (XEP-0045 §enter-maxusers); owners and admins always enter.
/// </summary>
public sealed class MaxUsers : IRoomFeature, IJoinRule
{
    public const string Field = "Max Users";

    /// <summary>The limit, or 0 for none.</summary>
    public static int Of(RoomConfig config) => int.TryParse(config.Get(Field), out var n) && n > 0 ? n : 0;

    public void Check(Room room, JoinAttempt attempt)
    {
        var max = Of(room.Config);
        if (attempt.Face == Face.Muc && attempt.ExistingOccupant is null && max > 0 && room.Occupants.Count >= max && !room.IsAdmin(attempt.User))
            throw new StanzaErrorException(new StanzaError(StanzaErrorType.Wait, StanzaErrorCondition.ServiceUnavailable, "the room is full"));
    }

    public void AddConfigFields(Room room, DataForm form)
    {
        var max = Of(room.Config);
        form.SetValue("muc#roomconfig_maxusers", max == 0 ? "none" : max.ToString(CultureInfo.InvariantCulture), DataFormFieldType.ListSingle)
            .Label = "Maximum occupants";
    }

    public RoomConfig ApplyConfig(DataForm submitted, RoomConfig config, ConfigChange change)
    {
        if (submitted.GetValue("muc#roomconfig_maxusers") is not { } max) return config;
        if (max != "none" && (!int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable, "muc#roomconfig_maxusers is a number or 'none'"));
        return config.With(Field, max == "none" ? "0" : max);
    }
}
