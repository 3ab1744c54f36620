using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Features;

/// <summary>
/// The room features, in the order their fields appear in the owner's form, and the rules they
/// bring: join rules in the order a join is judged (XEP-0045 §enter's error order: a locked room, a
/// ban, membership, the password, the nick, then room capacity), and message rules.
/// </summary>
public sealed class RoomFeatures
{
    public RoomFeatures(RoomRegistry rooms, Channels.IInvitationCheck invitations)
    {
        Nicks = new NickRules(rooms);
        var membersOnly = new MembersOnly(invitations);
        var password = new PasswordProtection();
        var maxUsers = new MaxUsers();
        var moderation = new Moderation();
        var roomLock = new RoomLock();
        var banning = new Banning();
        All =
        [
            new RoomNaming(), new Persistence(), new PublicListing(), membersOnly, moderation, new SubjectChanges(),
            new InvitationRights(), password, new JidVisibility(), new PrivateMessages(), maxUsers, roomLock, banning, Nicks,
        ];
        JoinRules = [roomLock, banning, membersOnly, password, Nicks, maxUsers];
        MessageRules = [moderation];
    }

    public IReadOnlyList<IRoomFeature> All { get; }
    public IReadOnlyList<IJoinRule> JoinRules { get; }
    public IReadOnlyList<IMessageRule> MessageRules { get; }
    public NickRules Nicks { get; }

    /// <summary>Judges a join; the first rule that refuses decides the error.</summary>
    public void CheckJoin(Room room, JoinAttempt attempt)
    {
        room.RequireNotRemoved();
        foreach (var rule in JoinRules) rule.Check(room, attempt);
    }

    /// <summary>The owner's muc#roomconfig form, with every feature's fields and current values.</summary>
    public DataForm ConfigForm(Room room)
    {
        var form = new DataForm("form") { FormType = "http://jabber.org/protocol/muc#roomconfig", Title = $"Configuration of {room.Jid.Local}" };
        foreach (var feature in All) feature.AddConfigFields(room, form);
        return form;
    }

    /// <summary>Applies a submitted form, feature by feature; a field a feature refuses refuses the whole form.</summary>
    public (RoomConfig Config, ConfigChange Change) Apply(Room room, DataForm submitted)
    {
        var change = new ConfigChange();
        var config = room.Config;
        foreach (var feature in All) config = feature.ApplyConfig(submitted, config, change);
        return (config, change);
    }

    /// <summary>The disco#info features and muc#roominfo form every feature contributes.</summary>
    public void Describe(Room room, DiscoInfo info, DataForm roomInfo)
    {
        foreach (var feature in All) feature.Describe(room, info, roomInfo);
    }
}
