using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Features;

/// <summary>
/// A password to enter the room (XEP-0045 §enter-pw, muc#roomconfig_roomsecret): a MUC join without it
/// gets not-authorized; owners enter without it. Mediated invitations carry it (XEP-0045 §invite).
/// </summary>
public sealed class PasswordProtection : IRoomFeature, IJoinRule
{
    public const string Field = "Password";

    /// <summary>The password to enter, or null.</summary>
    public static string? Of(RoomConfig config) => config.Get(Field) is { Length: > 0 } p ? p : null;

    public void Check(Room room, JoinAttempt attempt)
    {
        if (attempt.Face == Face.Muc && Of(room.Config) is { } password && !room.IsOwner(attempt.User) && attempt.Password != password)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAuthorized, "this room needs a password"));
    }

    public void Describe(Room room, DiscoInfo info, DataForm roomInfo) =>
        info.AddFeature(Of(room.Config) != null ? "muc_passwordprotected" : "muc_unsecured");

    public void AddConfigFields(Room room, DataForm form)
    {
        var password = Of(room.Config);
        form.SetValue("muc#roomconfig_passwordprotectedroom", password != null).Label = "Password protected";
        form.SetValue("muc#roomconfig_roomsecret", password ?? "", DataFormFieldType.TextPrivate).Label = "Password";
    }

    public RoomConfig ApplyConfig(DataForm submitted, RoomConfig config, ConfigChange change)
    {
        if (submitted["muc#roomconfig_roomsecret"] is { } secret) config = config.With(Field, secret.Values.FirstOrDefault() ?? "");
        if (submitted["muc#roomconfig_passwordprotectedroom"]?.AsBoolean() == false) config = config.With(Field, "");
        return config;
    }
}
