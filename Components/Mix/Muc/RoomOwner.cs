using System.Xml.Linq;
using XmppGroupChat.Component;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Muc;

/// <summary>
/// The owner's use cases (XEP-0045 §createroom, §roomconfig, §destroyroom): the muc#roomconfig
/// form, instant rooms (an empty submit unlocks a new room), and destruction with a reason and
/// an alternate venue. The options map onto the room's shared configuration, so the MIX face
/// honours the same members-only, JID visibility and naming.
/// </summary>
public sealed class RoomOwner(MucService muc, RoomAdmin admin)
{
    public const string FormType = "http://jabber.org/protocol/muc#roomconfig";

    public void Register(StanzaRouter router)
    {
        router.OnIqGet(Ns.MucOwner + "query", GetAsync);
        router.OnIqSet(Ns.MucOwner + "query", SetAsync);
    }

    private ValueTask<XElement?> GetAsync(XElement iq, CancellationToken ct)
    {
        var room = muc.RequireRoom(iq);
        lock (room.Sync)
        {
            RequireOwner(room, iq.GetFrom()!);
            return ValueTask.FromResult<XElement?>(new XElement(Ns.MucOwner + "query", Form(room).ToElement()));
        }
    }

    private async ValueTask<XElement?> SetAsync(XElement iq, CancellationToken ct)
    {
        var room = muc.RequireRoom(iq);
        var from = iq.GetFrom()!;
        var query = iq.GetPayload()!;
        lock (room.Sync) RequireOwner(room, from);

        if (query.Element(Ns.MucOwner + "destroy") is { } destroy)
        {
            await DestroyAsync(room, destroy, ct);
            return null;
        }
        var x = query.Element(Ns.DataForms + "x")
                ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "send a muc#roomconfig form or <destroy/>"));
        DataForm form;
        try { form = DataForm.Parse(x); }
        catch (FormatException ex) { throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, ex.Message)); }

        if (form.Type == "cancel")
        {
            bool wasNew;
            lock (room.Sync) wasNew = room.Locked;
            if (wasNew) await DestroyAsync(room, null, ct); // cancelling a new room's configuration abandons it
            return null;
        }
        List<int> codes;
        List<Occupant> outsiders;
        lock (room.Sync)
        {
            codes = Apply(room, form);
            room.Locked = false; // an instant room is an empty submit
            // Becoming members-only removes everyone without membership (XEP-0045 §roomconfig, status 322).
            outsiders = room.Config.AllowedOnly ? room.Occupants.Where(o => !room.IsAllowed(o.BareJid)).ToList() : [];
            foreach (var o in outsiders) room.RemoveOccupant(o);
        }
        await muc.Rooms.SaveRoomAsync(room, ct);
        if (codes.Count > 0) await NotifyConfigChangeAsync(room, codes, ct);
        foreach (var o in outsiders) await admin.AnnounceAsync(room, o, 322, null, removed: true, ct);
        return null;
    }

    // Returns the XEP-0045 §roomconfig-notify status codes the change calls for.
    private static List<int> Apply(Room room, DataForm form)
    {
        var codes = new List<int>();
        var c = room.Config;
        void Text(string var, string field)
        {
            if (form[var] is { } f) c.Set(field, f.Values.Count == 0 ? [] : [string.Join("\n", f.Values)]);
        }
        void Flag(string var, string field, Action<bool>? changed = null)
        {
            if (form[var]?.AsBoolean() is { } v)
            {
                var before = c.Get(field);
                c.Set(field, v ? "true" : "false");
                if (before != c.Get(field)) changed?.Invoke(v);
            }
        }
        Text("muc#roomconfig_roomname", RoomConfig.NameField);
        Text("muc#roomconfig_roomdesc", RoomConfig.DescriptionField);
        Flag("muc#roomconfig_persistentroom", RoomConfig.PersistentField);
        Flag("muc#roomconfig_publicroom", RoomConfig.PublicField);
        Flag("muc#roomconfig_membersonly", RoomConfig.AllowedOnlyField);
        Flag("muc#roomconfig_moderatedroom", RoomConfig.ModeratedField);
        Flag("muc#roomconfig_changesubject", RoomConfig.ChangeSubjectField);
        Flag("muc#roomconfig_allowinvites", RoomConfig.ParticipantsMayInviteField);
        Flag("muc#roomconfig_passwordprotectedroom", "Password Protected");
        if (form["muc#roomconfig_roomsecret"] is { } secret) c.Set(RoomConfig.PasswordField, secret.Values.FirstOrDefault() ?? "");
        if (form["muc#roomconfig_passwordprotectedroom"]?.AsBoolean() == false) c.Set(RoomConfig.PasswordField, "");
        if (form.GetValue("muc#roomconfig_allowpm") is { } pm)
            c.Set(RoomConfig.AllowPrivateMessagesField, pm is "none" or "0" or "false" ? "false" : "true");
        if (form.GetValue("muc#roomconfig_maxusers") is { } max)
        {
            if (max != "none" && (!int.TryParse(max, out var n) || n < 1))
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable, "muc#roomconfig_maxusers is a number or 'none'"));
            c.Set(RoomConfig.MaxUsersField, max == "none" ? "0" : max);
        }
        if (form.GetValue("muc#roomconfig_whois") is { } whois)
        {
            if (whois is not ("anyone" or "moderators"))
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable, "muc#roomconfig_whois is 'anyone' or 'moderators'"));
            var visible = whois == "anyone";
            if (visible != c.JidsVisible) codes.Add(visible ? 172 : 173);
            c.Set(RoomConfig.JidVisibilityField, visible ? RoomConfig.VisibleJids : "jid-hidden");
        }
        return codes;
    }

    /// <summary>The current configuration as a muc#roomconfig form.</summary>
    public static DataForm Form(Room room)
    {
        var c = room.Config;
        var form = new DataForm("form") { FormType = FormType, Title = $"Configuration of {room.Jid.Local}" };
        form.SetValue("muc#roomconfig_roomname", c.Name ?? "", DataFormFieldType.TextSingle).Label = "Name";
        form.SetValue("muc#roomconfig_roomdesc", c.Description ?? "", DataFormFieldType.TextSingle).Label = "Description";
        form.SetValue("muc#roomconfig_persistentroom", c.Persistent).Label = "Keep the room when it is empty";
        form.SetValue("muc#roomconfig_publicroom", c.Public).Label = "List the room publicly";
        form.SetValue("muc#roomconfig_membersonly", c.AllowedOnly).Label = "Members only";
        form.SetValue("muc#roomconfig_moderatedroom", c.Moderated).Label = "Only occupants with voice may speak";
        form.SetValue("muc#roomconfig_changesubject", c.OccupantsChangeSubject).Label = "Occupants may change the subject";
        form.SetValue("muc#roomconfig_allowinvites", c.ParticipantsMayInvite).Label = "Occupants may invite";
        form.SetValue("muc#roomconfig_passwordprotectedroom", c.Password != null).Label = "Password protected";
        form.SetValue("muc#roomconfig_roomsecret", c.Password ?? "", DataFormFieldType.TextPrivate).Label = "Password";
        var whois = form.SetValue("muc#roomconfig_whois", c.JidsVisible ? "anyone" : "moderators", DataFormFieldType.ListSingle);
        whois.Label = "Who may see real JIDs";
        whois.Options.Add(new DataFormOption("Moderators only", "moderators"));
        whois.Options.Add(new DataFormOption("Anyone", "anyone"));
        var pm = form.SetValue("muc#roomconfig_allowpm", c.AllowPrivateMessages ? "anyone" : "none", DataFormFieldType.ListSingle);
        pm.Label = "Who may send private messages";
        pm.Options.Add(new DataFormOption("Anyone", "anyone"));
        pm.Options.Add(new DataFormOption("Nobody", "none"));
        form.SetValue("muc#roomconfig_maxusers", c.MaxUsers == 0 ? "none" : c.MaxUsers.ToString(), DataFormFieldType.ListSingle).Label = "Maximum occupants";
        return form;
    }

    private async ValueTask NotifyConfigChangeAsync(Room room, List<int> codes, CancellationToken ct)
    {
        List<Jid> sessions;
        lock (room.Sync) sessions = OccupantPresence.Audience(room).Select(a => a.Session).ToList();
        var x = new XElement(Ns.MucUser + "x", codes.Select(code => new XElement(Ns.MucUser + "status", new XAttribute("code", code))));
        var message = new XElement(Ns.Component + "message", new XAttribute("from", muc.RoomJid(room).ToString()),
            new XAttribute("type", "groupchat"), new XAttribute("id", Stanza.NewId()), x);
        await muc.Broadcaster.EnqueueUnarchivedAsync(muc.Sender, message, sessions, ct);
    }

    /// <summary>Everyone is told the room is gone (with the reason and where to go), then it is removed from both faces.</summary>
    public async ValueTask DestroyAsync(Room room, XElement? destroy, CancellationToken ct)
    {
        var notices = new List<(XElement, Jid)>();
        lock (room.Sync)
        {
            foreach (var o in room.Occupants.ToList())
                foreach (var session in o.Sessions.Keys)
                {
                    var info = new XElement(Ns.MucUser + "destroy");
                    if ((string?)destroy?.Attribute("jid") is { } alternate) info.SetAttributeValue("jid", alternate);
                    if (destroy?.Element(Ns.MucOwner + "reason") is { } reason) info.Add(new XElement(Ns.MucUser + "reason", reason.Value));
                    // The room is gone, and every affiliation with it (XEP-0045 §destroyroom shows affiliation none).
                    var p = OccupantPresence.Build(muc, room, o, null, withJid: true, type: "unavailable", codes: [110], session: session, extra: null);
                    var x = p.Element(Ns.MucUser + "x")!;
                    x.Element(Ns.MucUser + "item")!.SetAttributeValue("affiliation", "none");
                    x.Element(Ns.MucUser + "status")!.AddBeforeSelf(info);
                    notices.Add((p, session));
                }
            foreach (var o in room.Occupants.ToList()) room.RemoveOccupant(o);
            room.MarkRemoved();
        }
        foreach (var (p, to) in notices) await muc.Broadcaster.EnqueueUnarchivedAsync(muc.Sender, p, [to], ct);
        await muc.Rooms.DestroyAsync(room, ct);
        await muc.Archive.DeleteArchiveAsync(room.Jid.ToString(), ct);
    }

    private static void RequireOwner(Room room, Jid from)
    {
        if (!room.IsOwner(from)) throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "only owners may configure or destroy the room"));
    }
}
