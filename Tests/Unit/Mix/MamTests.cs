using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Mix;

/// <summary>MAM (XEP-0313 urn:xmpp:mam:2) on a channel: form, paging, order, errors, access.</summary>
[TestFixture]
public sealed class MamTests
{
    private const string Core = "urn:xmpp:mix:core:1";
    private static readonly XNamespace Forward = "urn:xmpp:forward:0";
    private RoomHostHarness _mix = null!;

    [OneTimeSetUp]
    public async Task FillArchive()
    {
        _mix = await RoomHostHarness.StartAsync();
        await _mix.IqAsync($"<iq type='set' id='c' from='owner@test/a' to='mix.test'><create channel='coven' xmlns='{Core}'/></iq>");
        foreach (var (jid, nick) in new[] { ("hag66@test/pda", "thirdwitch"), ("hecate@test/home", "top witch") })
            await _mix.IqAsync($"<iq type='set' id='j-{nick}' from='{jid}' to='coven@mix.test'><join xmlns='{Core}'><subscribe node='urn:xmpp:mix:nodes:messages'/><nick>{nick}</nick></join></iq>");
        for (var i = 0; i < 60; i++)
        {
            var from = i % 3 == 0 ? "hecate@test/home" : "hag66@test/pda";
            await _mix.SendAsync($"<message type='groupchat' from='{from}' to='coven@mix.test'><body>message {i}</body></message>");
        }
        var page = await _mix.Archive.QueryAsync("coven@mix.test", new XmppGroupChat.Archive.ArchiveQuery(Max: 0));
        for (var i = 0; i < 100 && page.Count < 60; i++)
        {
            await Task.Delay(20);
            page = await _mix.Archive.QueryAsync("coven@mix.test", new XmppGroupChat.Archive.ArchiveQuery(Max: 0));
        }
        Assert.That(page.Count, Is.EqualTo(60));
    }

    [OneTimeTearDown]
    public async Task Done() => await _mix.DisposeAsync();

    /// <summary>Runs a query and returns the results (in order) and the fin.</summary>
    private async Task<(List<XElement> Results, XElement Response)> QueryAsync(string inner, string from = "hag66@test/pda")
    {
        _mix.TakeSent();
        var id = "q" + Guid.NewGuid().ToString("N")[..6];
        var response = await _mix.IqAsync($"<iq type='set' id='{id}' from='{from}' to='coven@mix.test'><query xmlns='urn:xmpp:mam:2' queryid='{id}'>{inner}</query></iq>");
        var results = _mix.TakeSent().Where(e => e.Descendants(Ns.Mam + "result").Any()).ToList();
        Assert.That(results.All(r => (string?)r.Element(Ns.Mam + "result")!.Attribute("queryid") == id), Is.True);
        return (results, response);
    }

    private static string BodyOf(XElement result) =>
        result.Element(Ns.Mam + "result")!.Element(Forward + "forwarded")!.Element(Ns.Client + "message")!.Element(Ns.Client + "body")!.Value;

    private static string Rsm(string inner) => $"<set xmlns='http://jabber.org/protocol/rsm'>{inner}</set>";

    [Test]
    public async Task The_first_page_is_chronological_and_not_complete()
    {
        var (results, response) = await QueryAsync(Rsm("<max>50</max>"));
        Assert.That(results.Select(BodyOf), Is.EqualTo(Enumerable.Range(0, 50).Select(i => $"message {i}")));
        var fin = response.Element(Ns.Mam + "fin")!;
        Assert.That((string?)fin.Attribute("complete"), Is.Null.Or.EqualTo("false"));
        var set = ResultSetResponse.Parse(fin.Element(Ns.Rsm + "set")!)!;
        Assert.That(set.Count, Is.EqualTo(60));
        Assert.That(set.First, Is.EqualTo((string)results[0].Element(Ns.Mam + "result")!.Attribute("id")!));
    }

    [Test]
    public async Task Paging_after_the_last_id_reaches_the_end()
    {
        var (first, response) = await QueryAsync(Rsm("<max>50</max>"));
        var last = ResultSetResponse.Parse(response.Element(Ns.Mam + "fin")!.Element(Ns.Rsm + "set")!)!.Last;
        var (rest, end) = await QueryAsync(Rsm($"<max>50</max><after>{last}</after>"));
        Assert.That(rest.Select(BodyOf), Is.EqualTo(Enumerable.Range(50, 10).Select(i => $"message {i}")));
        Assert.That((string?)end.Element(Ns.Mam + "fin")!.Attribute("complete"), Is.EqualTo("true"));
    }

    [Test]
    public async Task The_empty_before_gives_the_last_page_in_chronological_order()
    {
        var (results, _) = await QueryAsync(Rsm("<max>5</max><before/>"));
        Assert.That(results.Select(BodyOf), Is.EqualTo(Enumerable.Range(55, 5).Select(i => $"message {i}")));
    }

    [Test]
    public async Task Results_carry_the_archive_id_a_delay_and_the_sender_nick()
    {
        var (results, _) = await QueryAsync(Rsm("<max>1</max>"));
        var result = results.Single().Element(Ns.Mam + "result")!;
        var forwarded = result.Element(Forward + "forwarded")!;
        Assert.That(forwarded.Element(Ns.Delay + "delay"), Is.Not.Null);
        var message = forwarded.Element(Ns.Client + "message")!;
        Assert.That((string?)message.Attribute("id"), Is.EqualTo((string?)result.Attribute("id")));
        Assert.That(message.Descendants(XNamespace.Get(Core) + "nick").Single().Value, Is.EqualTo("top witch"));
        Assert.That((string?)message.Element(Ns.StanzaId + "stanza-id")!.Attribute("id"), Is.EqualTo((string?)result.Attribute("id")));
    }

    [Test]
    public async Task The_with_field_filters_by_sender()
    {
        var form = "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>urn:xmpp:mam:2</value></field>" +
                   "<field var='with'><value>hecate@test</value></field></x>";
        var (results, response) = await QueryAsync(form + Rsm("<max>100</max>"));
        Assert.That(results, Has.Count.EqualTo(20));
        Assert.That((string?)response.Element(Ns.Mam + "fin")!.Attribute("complete"), Is.EqualTo("true"));
    }

    [Test]
    public async Task An_unknown_id_is_item_not_found()
    {
        var (_, response) = await QueryAsync(Rsm("<max>5</max><after>no-such-id</after>"));
        Assert.That(StanzaError.FromStanza(response)!.Condition, Is.EqualTo(StanzaErrorCondition.ItemNotFound));
    }

    [Test]
    public async Task A_non_participant_may_not_read_the_archive()
    {
        var (_, response) = await QueryAsync("", from: "lurker@test/x");
        Assert.That(StanzaError.FromStanza(response)!.Condition, Is.EqualTo(StanzaErrorCondition.Forbidden));
    }

    [Test]
    public async Task The_query_form_lists_its_fields()
    {
        var response = await _mix.IqAsync("<iq type='get' id='f' from='hag66@test/pda' to='coven@mix.test'><query xmlns='urn:xmpp:mam:2'/></iq>");
        var form = DataForm.Parse(response.Descendants(Ns.DataForms + "x").Single());
        Assert.That(form.Fields.Select(f => f.Var), Is.SupersetOf(new[] { "FORM_TYPE", "with", "start", "end" }));
    }

    [Test]
    public async Task The_messages_node_may_be_named_and_other_nodes_are_refused()
    {
        var ok = await _mix.IqAsync("<iq type='set' id='n1' from='hag66@test/pda' to='coven@mix.test'><query xmlns='urn:xmpp:mam:2' node='urn:xmpp:mix:nodes:messages'><set xmlns='http://jabber.org/protocol/rsm'><max>1</max></set></query></iq>");
        Assert.That(ok.GetStanzaType(), Is.EqualTo("result"));
        var bad = await _mix.IqAsync("<iq type='set' id='n2' from='hag66@test/pda' to='coven@mix.test'><query xmlns='urn:xmpp:mam:2' node='urn:xmpp:mix:nodes:presence'/></iq>");
        Assert.That(StanzaError.FromStanza(bad)!.Condition, Is.EqualTo(StanzaErrorCondition.ItemNotFound));
    }
}
