using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Features;

/// <summary>
/// Who sees real JIDs: in a non-anonymous room everyone (muc#roomconfig_whois 'anyone'; on the MIX
/// face XEP-0406 'JID Visibility' jid-mandatory-visible), otherwise only moderators, admins and owners.
/// A change is announced with status 172 or 173 (XEP-0045 §roomconfig-notify).
/// </summary>
public sealed class JidVisibility : IRoomFeature
{
    public const string Field = "JID Visibility";

    /// <summary>The XEP-0406 value that shows real JIDs to all participants; anything else hides them from non-admins.</summary>
    public const string Visible = "jid-mandatory-visible";

    public const string Hidden = "jid-hidden";

    public static bool ToEveryone(RoomConfig config) => config.Get(Field) == Visible;

    public void Describe(Room room, DiscoInfo info, DataForm roomInfo) =>
        info.AddFeature(ToEveryone(room.Config) ? "muc_nonanonymous" : "muc_semianonymous");

    public void AddConfigFields(Room room, DataForm form)
    {
        var whois = form.SetValue("muc#roomconfig_whois", ToEveryone(room.Config) ? "anyone" : "moderators", DataFormFieldType.ListSingle);
        whois.Label = "Who may see real JIDs";
        whois.Options.Add(new DataFormOption("Moderators only", "moderators"));
        whois.Options.Add(new DataFormOption("Anyone", "anyone"));
    }

    public RoomConfig ApplyConfig(DataForm submitted, RoomConfig config, ConfigChange change)
    {
        if (submitted.GetValue("muc#roomconfig_whois") is not { } whois) return config;
        if (whois is not ("anyone" or "moderators"))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable, "muc#roomconfig_whois is 'anyone' or 'moderators'"));
        var visible = whois == "anyone";
        if (visible != ToEveryone(config)) change.StatusCodes.Add(visible ? 172 : 173);
        return config.With(Field, visible ? Visible : Hidden);
    }
}
