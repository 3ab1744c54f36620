using System.Xml.Linq;
using XmppGroupChat.Component.Routing;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Features;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Muc;

/// <summary>
/// The owner's use cases (XEP-0045 §createroom, §roomconfig, §destroyroom): the muc#roomconfig form,
/// built from and applied by the room features (Features/), instant rooms (an empty submit unlocks a
/// new room), and destruction with a reason and an alternate venue. The options are the room's
/// shared configuration, so the MIX face honours the same members-only, JID visibility and naming.
/// </summary>
public sealed class RoomOwner(MucService muc)
{
    public const string FormType = "http://jabber.org/protocol/muc#roomconfig";

    public void Declare(RouteTable routes)
    {
        routes.Iq(AddressKind.Entity, IqType.Get, Ns.MucOwner + "query", "MUC: owner", GetAsync);
        routes.Iq(AddressKind.Entity, IqType.Set, Ns.MucOwner + "query", "MUC: owner", SetAsync);
    }

    private ValueTask<XElement?> GetAsync(XElement iq, CancellationToken ct)
    {
        var room = muc.RequireRoom(iq);
        RequireOwner(room, iq.GetFrom()!);
        return ValueTask.FromResult<XElement?>(new XElement(Ns.MucOwner + "query", muc.Features.ConfigForm(room).ToElement()));
    }

    private async ValueTask<XElement?> SetAsync(XElement iq, CancellationToken ct)
    {
        var room = muc.RequireRoom(iq);
        var from = iq.GetFrom()!;
        var query = iq.GetPayload()!;
        RequireOwner(room, from);

        if (query.Element(Ns.MucOwner + "destroy") is { } destroy)
        {
            await muc.Conversation.DestroyAsync(room, new Destruction(destroy.Element(Ns.MucOwner + "reason")?.Value, (string?)destroy.Attribute("jid")), ct);
            return null;
        }
        var x = query.Element(Ns.DataForms + "x")
                ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "send a muc#roomconfig form or <destroy/>"));
        DataForm form;
        try { form = DataForm.Parse(x); }
        catch (FormatException ex) { throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, ex.Message)); }

        if (form.Type == "cancel")
        {
            // Cancelling a new room's configuration abandons it.
            if (room.Locked) await muc.Conversation.DestroyAsync(room, new Destruction(), ct);
            return null;
        }
        var (config, change) = muc.Features.Apply(room, form);
        room.Config = config;
        room.Locked = false; // an instant room is an empty submit
        // Becoming members-only removes everyone without membership (XEP-0045 §roomconfig, status 322).
        var outsiders = room.Occupants.Where(o => !MembersOnly.Admits(room, o.BareJid)).ToList();
        foreach (var o in outsiders) room.RemoveOccupant(o);
        await muc.Rooms.SaveRoomAsync(room, ct);
        var deliveries = new Deliveries();
        if (change.StatusCodes.Count > 0)
        {
            var notice = new XElement(Ns.Component + "message", new XAttribute("from", muc.RoomJid(room).ToString()),
                new XAttribute("type", "groupchat"), new XAttribute("id", Stanza.NewId()),
                new XElement(Ns.MucUser + "x", change.StatusCodes.Select(code => new XElement(Ns.MucUser + "status", new XAttribute("code", code)))));
            deliveries.Add(muc.Sender, notice, OccupantPresence.Audience(room).Select(a => a.Session).ToList());
        }
        foreach (var o in outsiders) OccupantAnnouncements.Add(muc, room, o, 322, null, removed: true, null, deliveries);
        await deliveries.SendAsync(ct);
        return null;
    }

    private static void RequireOwner(Room room, Jid from)
    {
        if (!room.IsOwner(from)) throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "only owners may configure or destroy the room"));
    }
}
