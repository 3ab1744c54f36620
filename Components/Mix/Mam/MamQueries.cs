using System.Xml.Linq;
using XmppGroupChat.Archive;
using XmppGroupChat.Component;
using XmppGroupChat.Component.Routing;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Mam;

/// <summary>
/// XEP-0313 (urn:xmpp:mam:2) on a room's archive: the query form (FORM_TYPE, start, end, with),
/// RSM paging (max, after, before, the empty before for the last page), results in chronological
/// order before the &lt;fin/&gt;. Who may query, how a message looks and the room's address are the
/// face's (the MIX channel or the MUC room).
/// </summary>
public sealed class MamQueries(
    IMessageArchive archive,
    IStanzaSender sender,
    Func<XElement, Room> requireRoom,
    Func<Room, Jid, bool> mayQuery,
    Func<ArchivedMessage, Room, Jid, XElement> present,
    Func<Room, Jid> roomAddress)
{
    private static readonly XNamespace Forward = "urn:xmpp:forward:0";
    private const string MessagesNode = "urn:xmpp:mix:nodes:messages";

    public void Declare(RouteTable routes, string owner)
    {
        routes.Iq(AddressKind.Entity, IqType.Get, Ns.Mam + "query", owner, FormAsync);
        routes.Iq(AddressKind.Entity, IqType.Set, Ns.Mam + "query", owner, QueryAsync);
    }

    // The fields a client may search by (XEP-0313 §query form).
    private ValueTask<XElement?> FormAsync(XElement iq, CancellationToken ct)
    {
        requireRoom(iq);
        var form = new DataForm("form") { FormType = Ns.Mam.NamespaceName };
        form.SetValue("with", null, DataFormFieldType.JidSingle);
        form.SetValue("start", null, DataFormFieldType.TextSingle);
        form.SetValue("end", null, DataFormFieldType.TextSingle);
        return ValueTask.FromResult<XElement?>(new XElement(Ns.Mam + "query", form.ToElement()));
    }

    private async ValueTask<XElement?> QueryAsync(XElement iq, CancellationToken ct)
    {
        var room = requireRoom(iq);
        var from = iq.GetFrom()!;
        var query = iq.GetPayload()!;
        if (!mayQuery(room, from))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "only participants may read this archive"));
        var node = (string?)query.Attribute("node");
        if (node != null && node != MessagesNode)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, $"no archive for node '{node}'"));
        var queryId = (string?)query.Attribute("queryid");

        var request = ParseRequest(query);
        ArchivePage page;
        try
        {
            page = await archive.QueryAsync(room.Jid.ToString(), request, ct);
        }
        catch (ArchiveItemNotFoundException ex)
        {
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, $"no message with id '{ex.Id}' in this archive"));
        }

        foreach (var m in page.Messages)
        {
            var result = new XElement(Ns.Mam + "result", new XAttribute("id", m.Id));
            if (queryId != null) result.SetAttributeValue("queryid", queryId);
            result.Add(new XElement(Forward + "forwarded",
                new Delay(m.Stamp).ToElement(),
                StoredMessage.Restamp(present(m, room, from), Ns.Client)));
            await sender.SendAsync(new XElement(Ns.Component + "message",
                new XAttribute("from", roomAddress(room).ToString()), new XAttribute("to", from.ToString()),
                new XAttribute("id", Stanza.NewId()), result), ct);
        }

        var fin = new XElement(Ns.Mam + "fin");
        if (page.Complete) fin.SetAttributeValue("complete", "true");
        fin.Add(page.Messages.Count == 0
            ? new ResultSetResponse(null, null, null, page.Count).ToElement()
            : new ResultSetResponse(page.Messages[0].Id, page.FirstIndex, page.Messages[^1].Id, page.Count).ToElement());
        return fin;
    }

    private static ArchiveQuery ParseRequest(XElement query)
    {
        DataForm? form;
        ResultSetRequest? rsm;
        try
        {
            form = DataForm.FindIn(query, Ns.Mam.NamespaceName) ?? DataForm.FindIn(query);
            rsm = ResultSetRequest.FindIn(query);
        }
        catch (FormatException ex)
        {
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, ex.Message));
        }
        if (form?.FormType is { } type && type != Ns.Mam.NamespaceName)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, $"unknown query form type '{type}'"));

        DateTimeOffset? Time(string field)
        {
            var v = form?.GetValue(field);
            if (string.IsNullOrEmpty(v)) return null;
            return XmppDateTime.TryParse(v, out var t) ? t
                : throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, $"'{field}' is not an XEP-0082 date-time"));
        }

        string? with = null;
        if (form?.GetValue("with") is { Length: > 0 } w)
        {
            if (!Jid.TryParse(w, out var withJid))
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.JidMalformed, $"'with' is not a JID: {w}"));
            with = withJid.Bare.ToString();
        }
        foreach (var field in form?.Fields ?? [])
            if (field.Var is not ("FORM_TYPE" or "with" or "start" or "end"))
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, $"unsupported query field '{field.Var}'"));

        return new ArchiveQuery(Time("start"), Time("end"), with, rsm?.After, rsm?.Before,
            Math.Clamp(rsm?.Max ?? 50, 0, 250));
    }
}
