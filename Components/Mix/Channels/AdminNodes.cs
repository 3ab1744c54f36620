using System.Xml.Linq;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Features;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Channels;

/// <summary>
/// MIX-ADMIN (XEP-0406): the configuration node (owners: owners, administrators and channel
/// options), the information node (admins), and the allowed and banned nodes (admins), read and
/// changed with pubsub. Owners and administrators are the room's affiliations, so the MUC face
/// sees the same people in charge; allowed JIDs are members and banned JIDs are outcasts.
/// </summary>
public sealed class AdminNodes(ChannelService mix)
{
    public static readonly XNamespace Admin = "urn:xmpp:mix:admin:0";
    public const string OwnerField = "Owner";
    public const string AdministratorField = "Administrator";
    public const string NodesPresentField = "Nodes Present";
    public const string InviteField = "Participation Addition by Invitation from Participant";
    public const string LastChangeField = "Last Change Made By";

    // Options the channel enforces, with the values it accepts; the form shows their current value.
    private static readonly Dictionary<string, string[]> FixedOptions = new()
    {
        ["Messages Node Subscription"] = ["participants"],
        ["Presence Node Subscription"] = ["participants"],
        ["Participants Node Subscription"] = ["participants"],
        ["Information Node Subscription"] = ["participants"],
        ["Allowed Node Subscription"] = ["admins"],
        ["Banned Node Subscription"] = ["admins"],
        ["Configuration Node Access"] = ["owners"],
        ["Information Node Update Rights"] = ["admins"],
        ["Private Messages"] = ["false", "0"],
    };

    public static bool IsAdminNode(string? node) => node is MixNodes.Config or MixNodes.Allowed or MixNodes.Banned;

    /// <summary>Items of the config, allowed and banned nodes (only owners / admins may read them).</summary>
    public IEnumerable<XElement> Items(Room room, Jid requester, string node)
    {
        switch (node)
        {
            case MixNodes.Config:
                if (!room.IsOwner(requester)) throw Forbidden("only owners may read the configuration");
                return [new XElement(Ns.PubSub + "item", new XAttribute("id", XmppDateTime.Format(room.Created)), ConfigForm(room).ToElement())];
            case MixNodes.Allowed:
            case MixNodes.Banned:
                if (!room.IsAdmin(requester)) throw Forbidden("only administrators may read this node");
                if (node == MixNodes.Allowed && !MembersOnly.IsOn(room.Config))
                    throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, "the channel has no allowed node: everyone not banned may join"));
                var listed = node == MixNodes.Banned ? (Func<Affiliation, bool>)(a => a == Affiliation.Outcast) : a => a.IsMemberOrAbove();
                return room.Affiliations.Where(a => listed(a.Value))
                    .Select(a => new XElement(Ns.PubSub + "item", new XAttribute("id", a.Key.ToString()))).ToList();
            default:
                throw new ArgumentOutOfRangeException(nameof(node));
        }
    }

    /// <summary>A publish to an admin node or the info node; returns the pubsub result payload.</summary>
    public async ValueTask<XElement> PublishAsync(Room room, Jid from, string node, XElement publish, CancellationToken ct)
    {
        // The XEP's examples wrap the item in <items/>; plain pubsub does not. Take either.
        var items = publish.Elements(Ns.PubSub + "item").Concat(publish.Elements(Ns.PubSub + "items").Elements(Ns.PubSub + "item")).ToList();
        if (items.Count == 0) throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "<publish/> needs an <item/>"));
        string resultId;
        switch (node)
        {
            case MixNodes.Info:
                resultId = await UpdateInfoAsync(room, from, FormIn(items[0]), ct);
                break;
            case MixNodes.Config:
                resultId = await UpdateConfigAsync(room, from, FormIn(items[0]), ct);
                break;
            case MixNodes.Allowed:
            case MixNodes.Banned:
                resultId = await ChangeListAsync(room, from, node, items.Select(i => (string?)i.Attribute("id")), add: true, ct);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(node));
        }
        return new XElement(Ns.PubSub + "pubsub", new XElement(Ns.PubSub + "publish", new XAttribute("node", node),
            new XElement(Ns.PubSub + "item", new XAttribute("id", resultId))));
    }

    /// <summary>A pubsub retract from the allowed or banned node.</summary>
    public async ValueTask RetractAsync(Room room, Jid from, string node, XElement retract, CancellationToken ct)
    {
        if (node is not (MixNodes.Allowed or MixNodes.Banned))
            throw Forbidden($"items cannot be retracted from '{node}'");
        await ChangeListAsync(room, from, node, retract.Elements(Ns.PubSub + "item").Select(i => (string?)i.Attribute("id")), add: false, ct);
    }

    private async Task<string> UpdateInfoAsync(Room room, Jid from, DataForm form, CancellationToken ct)
    {
        if (!room.IsAdmin(from)) throw Forbidden("only administrators may change the channel information");
        var config = room.Config;
        if (form[RoomNaming.NameField] is { } name) config = config.With(RoomNaming.NameField, [.. name.Values]);
        if (form[RoomNaming.DescriptionField] is { } description) config = config.With(RoomNaming.DescriptionField, [.. description.Values]);
        if (form["Contact"] is { } contact) config = config.With("Contact", [.. contact.Values]);
        room.Config = config;
        await mix.Rooms.SaveRoomAsync(room, ct);
        var stamp = XmppDateTime.Format(DateTimeOffset.UtcNow);
        await NotifyNodeAsync(room, MixNodes.Info, new XElement(Ns.PubSubEvent + "item", new XAttribute("id", stamp), NodeItems.InfoForm(room).ToElement()), ct);
        return stamp;
    }

    private async Task<string> UpdateConfigAsync(Room room, Jid from, DataForm form, CancellationToken ct)
    {
        if (!room.IsOwner(from)) throw Forbidden("only owners may change the configuration");
        var owners = ParseJids(form, OwnerField);
        var admins = ParseJids(form, AdministratorField);
        if (owners is { Count: 0 }) throw NotAcceptable("a channel always has at least one owner");
        foreach (var (var, accepted) in FixedOptions)
            if (form.GetValue(var) is { } v && !accepted.Contains(v))
                throw NotAcceptable($"'{var}' can only be {string.Join(" or ", accepted.Distinct())} on this service");
        var config = room.Config;
        if (form.GetValues(NodesPresentField) is { Count: > 0 } nodes) config = config.With(MembersOnly.Field, nodes.Contains("allowed"));
        if (form[NickRules.MandatoryField]?.AsBoolean() is { } mandatory) config = config.With(NickRules.MandatoryField, mandatory);
        if (form[InviteField]?.AsBoolean() is { } invite) config = config.With(InvitationRights.Field, invite);
        if (form.GetValue(JidVisibility.Field) is { } visibility) config = config.With(JidVisibility.Field, visibility);
        room.Config = config.With(LastChangeField, from.Bare.ToString());
        if (owners != null) Reassign(room, Affiliation.Owner, owners);
        if (admins != null) Reassign(room, Affiliation.Admin, admins);
        await mix.Rooms.SaveRoomAsync(room, ct);
        return XmppDateTime.Format(DateTimeOffset.UtcNow);
    }

    private async Task<string> ChangeListAsync(Room room, Jid from, string node, IEnumerable<string?> ids, bool add, CancellationToken ct)
    {
        var jids = new List<Jid>();
        foreach (var id in ids)
        {
            if (!Jid.TryParse(id, out var jid) || jid.Resource != null)
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.JidMalformed, $"'{id}' is not a bare JID or domain"));
            jids.Add(jid);
        }
        if (!room.IsAdmin(from)) throw Forbidden("only administrators may change this node");
        var affiliation = node == MixNodes.Banned ? Affiliation.Outcast : Affiliation.Member;
        foreach (var jid in jids)
        {
            if (add)
            {
                if (room.AffiliationOf(jid).IsAdminOrOwner() && jid.Local != null)
                    throw NotAcceptable($"{jid} is an owner or administrator");
                room.SetAffiliation(jid, affiliation);
            }
            else if (room.Affiliations.TryGetValue(jid, out var current) && current == affiliation)
            {
                room.SetAffiliation(jid, Affiliation.None);
            }
        }
        // Publishing to the allowed node makes it present: from then on only listed JIDs may join.
        if (node == MixNodes.Allowed && add) room.Config = room.Config.With(MembersOnly.Field, true);
        await mix.Rooms.SaveRoomAsync(room, ct);
        // A ban takes the banned out of the room on every face.
        if (add && node == MixNodes.Banned) await mix.Conversation.BannedAsync(room, new Ban(Face.Mix, null, null), ct);
        return jids.Count > 0 ? jids[0].ToString() : "";
    }

    private static void Reassign(Room room, Affiliation affiliation, List<Jid> jids)
    {
        foreach (var stale in room.WithAffiliation(affiliation).Where(j => !jids.Contains(j)).ToList())
            room.SetAffiliation(stale, Affiliation.None);
        foreach (var jid in jids) room.SetAffiliation(jid, affiliation);
    }

    private static List<Jid>? ParseJids(DataForm form, string field)
    {
        if (form[field] is null) return null;
        var list = new List<Jid>();
        foreach (var v in form.GetValues(field))
        {
            if (!Jid.TryParse(v, out var jid) || jid.Local is null || jid.Resource != null)
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.JidMalformed, $"'{field}' needs bare user JIDs; '{v}' is not one"));
            list.Add(jid);
        }
        return list;
    }

    /// <summary>The configuration node's form: every option with its current value (XEP-0406 §config node).</summary>
    public static DataForm ConfigForm(Room room)
    {
        var form = new DataForm("result") { FormType = Admin.NamespaceName };
        if (room.Config.Get(LastChangeField) is { } last) form.SetValue(LastChangeField, last, DataFormFieldType.JidSingle);
        form.SetValues(OwnerField, room.WithAffiliation(Affiliation.Owner).Select(j => j.ToString()), DataFormFieldType.JidMulti);
        form.SetValues(AdministratorField, room.WithAffiliation(Affiliation.Admin).Select(j => j.ToString()), DataFormFieldType.JidMulti);
        var nodes = new List<string> { "participants", "presence", "information", "banned" };
        if (MembersOnly.IsOn(room.Config)) nodes.Add("allowed");
        form.SetValues(NodesPresentField, nodes, DataFormFieldType.ListMulti);
        foreach (var (var, values) in FixedOptions) form.SetValue(var, values[0], DataFormFieldType.ListSingle);
        form.SetValue("Open Presence", false);
        form.SetValue("Participants Must Provide Presence", false);
        form.SetValue(InviteField, InvitationRights.ByParticipants(room.Config));
        form.SetValue(NickRules.MandatoryField, NickRules.Mandatory(room.Config));
        form.SetValue(JidVisibility.Field, room.Config.Get(JidVisibility.Field) ?? JidVisibility.Hidden, DataFormFieldType.ListSingle);
        return form;
    }

    private async ValueTask NotifyNodeAsync(Room room, string node, XElement item, CancellationToken ct)
    {
        var deliveries = new Deliveries();
        foreach (var (_, targets) in ChannelService.SubscriberTargets(room, node))
            deliveries.Add(mix.Sender, new XElement(Ns.Component + "message", new XAttribute("from", room.Jid.ToString()), new XAttribute("id", Stanza.NewId()),
                new XElement(Ns.PubSubEvent + "event", new XElement(Ns.PubSubEvent + "items", new XAttribute("node", node), new XElement(item)))), targets);
        await deliveries.SendAsync(ct);
    }

    private static DataForm FormIn(XElement item)
    {
        var x = item.Element(Ns.DataForms + "x") ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "the item needs a data form"));
        try
        {
            return DataForm.Parse(x);
        }
        catch (FormatException ex)
        {
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, ex.Message));
        }
    }

    private static StanzaErrorException Forbidden(string text) => new(StanzaError.Of(StanzaErrorCondition.Forbidden, text));
    private static StanzaErrorException NotAcceptable(string text) => new(StanzaError.Of(StanzaErrorCondition.NotAcceptable, text));
}
