using System.Xml.Linq;
using XmppGroupChat.Mix.Dmuc;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Mix;

/// <summary>
/// The room host as DMUC2 primary (wire contract 1-7, primary side): registration with the
/// allow-list, the initial roster, subject and history, the trust rule for enters, one copy per
/// replica, keepalive and split, netjoin with roster reconcile, and resubmitted split messages.
/// </summary>
[TestFixture]
public sealed class DmucPrimaryTests
{
    private const string D = "urn:xmpp:tmp:dmuc:0";
    private const string MucNs = "http://jabber.org/protocol/muc";
    private const string Room = "coven@muc.test";
    private const string R = @"coven\40muc.test@dmuc-replica.far";
    private const string Troy = "troy@far/screwdriver";
    private const string Wiz = "squit@far/jupiter";
    private static readonly DmucSettings Settings = new([new TrustedReplica("dmuc-replica.far", "far")], TimeSpan.FromSeconds(30), MarkSplitUsersAway: true);
    private RoomHostHarness _h = null!;

    [SetUp]
    public async Task SetUp()
    {
        _h = await RoomHostHarness.StartAsync(new RoomHostSetup { Dmuc = Settings });
        await _h.SendAsync($"<presence from='owner@test/a' to='{Room}/boss'><x xmlns='{MucNs}'/></presence>");
        await _h.WaitForAsync(e => To(e, "owner@test/a") && e.Element(Ns.Component + "subject") != null);
        await _h.IqAsync($"<iq type='set' id='cfg' from='owner@test/a' to='{Room}'><query xmlns='http://jabber.org/protocol/muc#owner'>" +
                         "<x xmlns='jabber:x:data' type='submit'/></query></iq>");
        await _h.SettleAsync();
        _h.TakeSent();
    }

    [TearDown]
    public async Task TearDown() => await _h.DisposeAsync();

    private static bool To(XElement e, string to) => (string?)e.Attribute("to") == to;

    private static IEnumerable<string> Codes(XElement presence) =>
        presence.Element(Ns.MucUser + "x")?.Elements(Ns.MucUser + "status").Select(s => (string)s.Attribute("code")!) ?? [];

    private async Task<(XElement Result, List<XElement> Pushes)> ReplicateAsync(string attributes = "", string roster = "", string from = R)
    {
        var result = await _h.IqAsync($"<iq type='set' id='rep' from='{from}' to='{Room}'><replicate xmlns='{D}' keepalive='30' history='50'{attributes}>{roster}</replicate></iq>");
        await _h.SettleAsync();
        return (result, _h.TakeSent());
    }

    private async Task EnterAsync(string user, string nick, string sid, string from = R)
    {
        await _h.SendAsync($"<presence id='e-{sid}' from='{from}/{sid}' to='{Room}/{nick}'><x xmlns='{MucNs}'/><x xmlns='{D}'><user jid='{user}'/></x></presence>");
        await _h.SettleAsync();
    }

    private async Task PostAsync(string from, string body, string id)
    {
        await _h.SendAsync($"<message type='groupchat' id='{id}' from='{from}' to='{Room}'><body>{body}</body></message>");
        await _h.WaitForAsync(e => To(e, "owner@test/a") && e.GetId() == id);
        await _h.SettleAsync();
    }

    /// <summary>The primary's next request (its pings run in the background, so this waits a little for it).</summary>
    private async Task<(XElement Iq, TaskCompletionSource<XElement> Answer)> NextRequestAsync()
    {
        for (var i = 0; i < 500; i++)
        {
            if (_h.Requests.TryDequeue(out var r)) return r;
            await Task.Delay(10);
        }
        throw new TimeoutException("the primary sent no request");
    }

    [Test]
    public async Task A_replica_not_on_the_allow_list_is_refused_and_a_wrong_address_or_room_too()
    {
        var (refused, _) = await ReplicateAsync(from: @"coven\40muc.test@rogue.far");
        Assert.That(StanzaError.FromStanza(refused)!.Condition, Is.EqualTo(StanzaErrorCondition.Forbidden));
        Assert.That(StanzaError.FromStanza(refused)!.Text, Does.Contain("not a trusted"));

        var (wrongRoom, _) = await ReplicateAsync(from: @"other\40muc.test@dmuc-replica.far");
        Assert.That(StanzaError.FromStanza(wrongRoom)!.Condition, Is.EqualTo(StanzaErrorCondition.BadRequest));

        var missing = await _h.IqAsync($"<iq type='set' id='nr' from='nowhere\\40muc.test@dmuc-replica.far' to='nowhere@muc.test'><replicate xmlns='{D}'/></iq>");
        Assert.That(StanzaError.FromStanza(missing)!.Condition, Is.EqualTo(StanzaErrorCondition.ItemNotFound));
    }

    [Test]
    public async Task Registration_sends_the_roster_then_the_subject_then_the_history_then_the_result()
    {
        await PostAsync("owner@test/a", "first", "m1");
        await PostAsync("owner@test/a", "second", "m2");
        var (result, pushes) = await ReplicateAsync();
        Assert.That(result.GetStanzaType(), Is.EqualTo("result"), result.ToString());
        Assert.That(pushes.All(p => To(p, R)), Is.True, string.Join("\n", pushes));
        Assert.That(pushes.Select(p => p.Name.LocalName == "presence" ? "presence" : p.Element(Ns.Component + "subject") != null ? "subject" : "message"),
            Is.EqualTo(new[] { "presence", "subject", "message", "message" }));
        Assert.That((string?)pushes[0].Attribute("from"), Is.EqualTo($"{Room}/boss"));
        Assert.That(pushes[0].Descendants(Ns.MucUser + "item").Single().Attribute("jid"), Is.Null, "no real JIDs: no moderator behind this replica");
        var history = pushes.Skip(2).ToList();
        Assert.That(history.Select(m => m.Element(Ns.Component + "body")!.Value), Is.EqualTo(new[] { "first", "second" }));
        var delay = history[1].Element(Ns.Dmuc + "x")!.Element(Ns.Delay + "delay")!;
        Assert.That((string?)delay.Attribute("from"), Is.EqualTo($"{Room}/boss"));
        var lastId = (string?)history[1].Element(Ns.StanzaId + "stanza-id")!.Attribute("id");
        Assert.That((string?)result.Element(Ns.Dmuc + "replicated")!.Attribute("last"), Is.EqualTo(lastId));

        // Registering again with since: only what came after.
        await PostAsync("owner@test/a", "third", "m3");
        var (again, more) = await ReplicateAsync($" since='{lastId}'");
        Assert.That(more.Where(m => m.Element(Ns.Component + "body") != null).Select(m => m.Element(Ns.Component + "body")!.Value), Is.EqualTo(new[] { "third" }));
        Assert.That((string?)again.Element(Ns.Dmuc + "replicated")!.Attribute("last"), Is.Not.EqualTo(lastId));
    }

    [Test]
    public async Task An_enter_through_the_replica_is_judged_on_the_real_user_and_answered_with_enter()
    {
        await _h.SendAsync($"<presence id='early' from='{R}/s1' to='{Room}/troy'><x xmlns='{MucNs}'/><x xmlns='{D}'><user jid='{Troy}'/></x></presence>");
        var early = await _h.WaitForAsync(e => e.GetId() == "early");
        Assert.That(StanzaError.FromStanza(early)!.Condition, Is.EqualTo(StanzaErrorCondition.NotAcceptable), "replicate first");

        await ReplicateAsync();
        await _h.SendAsync($"<presence id='far' from='{R}/s9' to='{Room}/rubenro'><x xmlns='{MucNs}'/><x xmlns='{D}'><user jid='rubenro@gamma.test/shaver'/></x></presence>");
        var vouching = await _h.WaitForAsync(e => e.GetId() == "far");
        Assert.That(StanzaError.FromStanza(vouching)!.Condition, Is.EqualTo(StanzaErrorCondition.Forbidden));
        Assert.That(StanzaError.FromStanza(vouching)!.Text, Does.Contain("may vouch for users of far only"));

        await _h.SendAsync($"<presence id='rogue' from='coven\\40muc.test@rogue.far/s1' to='{Room}/troy'><x xmlns='{MucNs}'/><x xmlns='{D}'><user jid='troy@rogue.far/x'/></x></presence>");
        Assert.That(StanzaError.FromStanza(await _h.WaitForAsync(e => e.GetId() == "rogue"))!.Condition, Is.EqualTo(StanzaErrorCondition.Forbidden));

        await _h.IqAsync($"<iq type='set' id='ban' from='owner@test/a' to='{Room}'><query xmlns='http://jabber.org/protocol/muc#admin'><item affiliation='outcast' jid='squit@far'/></query></iq>");
        await _h.SendAsync($"<presence id='banned' from='{R}/s2' to='{Room}/WiZ'><x xmlns='{MucNs}'/><x xmlns='{D}'><user jid='{Wiz}'/></x></presence>");
        Assert.That(StanzaError.FromStanza(await _h.WaitForAsync(e => e.GetId() == "banned"))!.Condition, Is.EqualTo(StanzaErrorCondition.Forbidden),
            "the real user's ban applies");

        await EnterAsync(Troy, "troy", "s1");
        var sent = _h.TakeSent();
        var enter = sent.Single(e => To(e, $"{R}/s1"));
        Assert.That((string?)enter.Element(Ns.Dmuc + "x")!.Element(Ns.Dmuc + "enter")!.Attribute("jid"), Is.EqualTo(Troy));
        Assert.That(sent.Count(e => To(e, R)), Is.EqualTo(1), "the new presence once, for the replica's other users");
        var atOwner = sent.Single(e => To(e, "owner@test/a"));
        Assert.That((string?)atOwner.Descendants(Ns.MucUser + "item").Single().Attribute("jid"), Is.EqualTo(Troy), "the owner sees the real user");
    }

    [Test]
    public async Task Each_broadcast_goes_once_to_the_replica_whatever_the_number_of_users_behind_it()
    {
        await ReplicateAsync();
        await EnterAsync(Troy, "troy", "s1");
        await EnterAsync(Wiz, "WiZ", "s2");
        await EnterAsync("valdis@far/desktop", "Valdis", "s3");
        _h.TakeSent();
        await PostAsync("owner@test/a", "to all", "m1");
        var sent = _h.TakeSent();
        Assert.That(sent.Count(e => ((string?)e.Attribute("to"))!.Contains("dmuc-replica.far")), Is.EqualTo(1), string.Join("\n", sent));
    }

    [Test]
    public async Task Without_a_word_from_the_replica_for_the_keepalive_time_the_room_pings_it_and_no_answer_is_a_split()
    {
        await ReplicateAsync();
        await EnterAsync(Troy, "troy", "s1");
        _h.TakeSent();
        _h.Clock.Advance(TimeSpan.FromSeconds(29));
        await _h.Primary!.Keepalive.TickAsync(CancellationToken.None);
        await _h.Primary!.Keepalive.PingsDone; await _h.SettleAsync();
        Assert.That(_h.Requests, Is.Empty);
        _h.Clock.Advance(TimeSpan.FromSeconds(1));
        await _h.Primary!.Keepalive.TickAsync(CancellationToken.None);
        var ping = await NextRequestAsync();
        Assert.That(ping.Iq.ToString(SaveOptions.DisableFormatting), Does.Contain("urn:xmpp:ping"));
        Assert.That((string?)ping.Iq.Attribute("from"), Is.EqualTo(Room));
        Assert.That((string?)ping.Iq.Attribute("to"), Is.EqualTo(R));
        ping.Answer.SetException(new TimeoutException());
        await _h.Primary!.Keepalive.PingsDone; await _h.SettleAsync();
        await _h.SettleAsync();

        var away = _h.TakeSent().Single(e => To(e, "owner@test/a"));
        Assert.That((string?)away.Attribute("from"), Is.EqualTo($"{Room}/troy"));
        Assert.That(away.Element(Ns.Component + "show")!.Value, Is.EqualTo("xa"));
        Assert.That(away.Element(Ns.Component + "status")!.Value, Is.EqualTo("netsplit"));

        await PostAsync("owner@test/a", "while split", "m1");
        Assert.That(_h.TakeSent().Where(e => ((string?)e.Attribute("to"))!.Contains("dmuc-replica.far")), Is.Empty, "no broadcasts to a split replica");

        _h.Clock.Advance(TimeSpan.FromSeconds(10));
        await _h.Primary!.Keepalive.TickAsync(CancellationToken.None);
        Assert.That((await NextRequestAsync()).Iq.GetStanzaType(), Is.EqualTo("get"), "while split, every third of the keepalive");
    }

    [Test]
    public async Task A_bounce_from_the_replicas_server_is_a_split_and_its_pings_are_refused_until_it_registers_again()
    {
        await ReplicateAsync();
        await EnterAsync(Troy, "troy", "s1");
        var ok = await _h.IqAsync($"<iq type='get' id='p0' from='{R}' to='{Room}'><ping xmlns='urn:xmpp:ping'/></iq>");
        Assert.That(ok.GetStanzaType(), Is.EqualTo("result"));
        await _h.SendAsync($"<message type='error' from='{R}' to='{Room}/boss'><error type='cancel'><remote-server-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
        await _h.SettleAsync();
        _h.TakeSent();
        var refused = await _h.IqAsync($"<iq type='get' id='p1' from='{R}' to='{Room}'><ping xmlns='urn:xmpp:ping'/></iq>");
        Assert.That(StanzaError.FromStanza(refused)!.Condition, Is.EqualTo(StanzaErrorCondition.NotAcceptable));
        Assert.That(_h.Rooms.Find(Jid.Parse("coven@mix.test"))!.FindOccupant("troy"), Is.Not.Null, "a split does not take the replica's users out");
    }

    [Test]
    public async Task Netjoin_reconciles_the_roster_restores_the_netsplit_presence_and_sends_what_was_missed()
    {
        await ReplicateAsync();
        await EnterAsync(Troy, "troy", "s1");
        await EnterAsync(Wiz, "WiZ", "s2");
        await PostAsync("owner@test/a", "before", "m1");
        var lastSeen = (string?)_h.Archive.QueryAsync("coven@mix.test", new XmppGroupChat.Archive.ArchiveQuery(Before: "", Max: 1)).Result.Messages[0].Id;
        await _h.SendAsync($"<message type='error' from='{R}' to='{Room}/boss'><error type='cancel'><remote-server-timeout xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
        await _h.SettleAsync();
        await PostAsync("owner@test/a", "during", "m2");
        _h.TakeSent();

        // WiZ left during the split; a new session (valdis) was made locally; troy stayed.
        var (result, pushes) = await ReplicateAsync($" since='{lastSeen}'",
            $"<roster><user jid='{Troy}' nick='troy' sid='s1'/><user jid='valdis@far/desktop' nick='Valdis' sid='s3'/></roster>");
        Assert.That(result.GetStanzaType(), Is.EqualTo("result"), result.ToString());
        var atOwner = pushes.Where(e => To(e, "owner@test/a")).ToList();
        Assert.That(atOwner.Any(p => (string?)p.Attribute("from") == $"{Room}/WiZ" && p.GetStanzaType() == "unavailable"), Is.True, string.Join("\n", atOwner));
        Assert.That(atOwner.Any(p => (string?)p.Attribute("from") == $"{Room}/Valdis" && p.GetStanzaType() is null), Is.True);
        Assert.That(atOwner.Any(p => (string?)p.Attribute("from") == $"{Room}/troy" && p.Element(Ns.Component + "show") is null), Is.True,
            "troy is shown as it was before the split");
        Assert.That(pushes.Any(p => To(p, $"{R}/s3") && p.Element(Ns.Dmuc + "x")?.Element(Ns.Dmuc + "enter") != null), Is.True);
        var missed = pushes.Where(p => To(p, R) && p.Element(Ns.Component + "body") != null).Select(p => p.Element(Ns.Component + "body")!.Value);
        Assert.That(missed, Is.EqualTo(new[] { "during" }));

        await PostAsync("owner@test/a", "after", "m3");
        Assert.That(_h.TakeSent().Count(e => To(e, R)), Is.EqualTo(1), "broadcasts reach the replica again");
    }

    [Test]
    public async Task A_resubmitted_split_message_is_archived_once_with_its_original_time()
    {
        await ReplicateAsync();
        await EnterAsync(Troy, "troy", "s1");
        _h.TakeSent();
        const string resubmit = $"<message type='groupchat' id='s1m' from='{R}/s1' to='{Room}'><body>written during the split</body>" +
                                "<origin-id xmlns='urn:xmpp:sid:0' id='o1'/>" +
                                $"<x xmlns='{D}'><delay xmlns='urn:xmpp:delay' stamp='2025-03-01T12:00:00Z'/></x></message>";
        await _h.SendAsync(resubmit);
        var atOwner = await _h.WaitForAsync(e => To(e, "owner@test/a") && e.Element(Ns.Component + "body") != null);
        Assert.That((string?)atOwner.Element(Ns.Delay + "delay")!.Attribute("stamp"), Is.EqualTo("2025-03-01T12:00:00Z"), "everyone sees when it was written");
        Assert.That(atOwner.Element(Ns.Dmuc + "x"), Is.Null);
        var atReplica = await _h.WaitForAsync(e => To(e, R) && e.Element(Ns.Component + "body") != null);
        Assert.That((string?)atReplica.Element(Ns.Dmuc + "x")!.Element(Ns.Delay + "delay")!.Attribute("stamp"), Is.EqualTo("2025-03-01T12:00:00Z"));
        var id = (string?)atReplica.Element(Ns.StanzaId + "stanza-id")!.Attribute("id");
        await _h.SettleAsync();
        _h.TakeSent();

        await _h.SendAsync(resubmit); // again, e.g. the replica restarted before it saw the copy
        await _h.SettleAsync();
        var again = _h.TakeSent();
        Assert.That(again.Select(e => (string?)e.Attribute("to")), Is.EqualTo(new[] { R }), "only the replica hears of it, to learn the id");
        Assert.That((string?)again[0].Element(Ns.StanzaId + "stanza-id")!.Attribute("id"), Is.EqualTo(id));
        var all = await _h.Archive.QueryAsync("coven@mix.test", new XmppGroupChat.Archive.ArchiveQuery(Max: 100));
        Assert.That(all.Messages.Count(m => m.Stanza.Element(Ns.Component + "body")?.Value == "written during the split"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_replica_that_no_longer_holds_the_room_is_dropped_and_its_users_leave()
    {
        await ReplicateAsync();
        await EnterAsync(Troy, "troy", "s1");
        _h.TakeSent();
        await _h.SendAsync($"<message type='error' from='{R}' to='{Room}/boss'><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
        await _h.SettleAsync();
        var gone = _h.TakeSent().Single(e => To(e, "owner@test/a"));
        Assert.That(gone.GetStanzaType(), Is.EqualTo("unavailable"));
        Assert.That(_h.Primary!.Registry.All, Is.Empty);
    }
}
