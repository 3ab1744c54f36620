using System.Xml.Linq;
using XmppGroupChat.DmucReplica.Dmuc;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Dmuc;

/// <summary>The netjoin merge on its own: what is recorded, delivered, confirmed and submitted. No duplicates, order kept, times kept.</summary>
[TestFixture]
public sealed class NetjoinMergeTests
{
    private static readonly Jid Primary = Jid.Parse("room@muc.alpha.test");
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static PendingMessage Local(string originId, string nick, int second, bool delivered = true) =>
        new(originId, nick, "sid-" + nick, Jid.Parse($"{nick.ToLowerInvariant()}@beta.test/x"),
            XElement.Parse($"<message xmlns='jabber:component:accept' type='groupchat'><body>{originId}</body><origin-id xmlns='urn:xmpp:sid:0' id='{originId}'/></message>"),
            T0.AddSeconds(second), delivered);

    private static XElement Missed(string id, string nick, string? originId = null) => XElement.Parse(
        $"<message xmlns='jabber:component:accept' from='room@muc.alpha.test/{nick}' type='groupchat'><body>{id}</body>" +
        (originId is null ? "" : $"<origin-id xmlns='urn:xmpp:sid:0' id='{originId}'/>") +
        $"<stanza-id xmlns='urn:xmpp:sid:0' id='{id}' by='room@muc.alpha.test'/></message>");

    private static IEnumerable<string?> Ids(IEnumerable<XElement> messages) =>
        messages.Select(m => (string?)m.Element(Ns.StanzaId + "stanza-id")?.Attribute("id"));

    [Test]
    public void Nothing_on_either_side_is_nothing_to_do()
    {
        var plan = NetjoinMerge.Plan([], [], Primary, _ => false);
        Assert.That(plan.Record, Is.Empty);
        Assert.That(plan.Deliver, Is.Empty);
        Assert.That(plan.Confirmed, Is.Empty);
        Assert.That(plan.Submit, Is.Empty);
    }

    [Test]
    public void Split_messages_the_primary_lacks_are_submitted_in_their_order_with_their_times()
    {
        var pending = new[] { Local("a", "Troy", 1), Local("b", "WiZ", 2), Local("c", "Troy", 3) };
        var plan = NetjoinMerge.Plan(pending, [Missed("p1", "Wumpus")], Primary, _ => false);
        Assert.That(plan.Submit.Select(p => p.OriginId), Is.EqualTo(new[] { "a", "b", "c" }));
        Assert.That(plan.Submit.Select(p => p.Stamp), Is.EqualTo(new[] { T0.AddSeconds(1), T0.AddSeconds(2), T0.AddSeconds(3) }));
        Assert.That(Ids(plan.Record), Is.EqualTo(new[] { "p1" }));
        Assert.That(Ids(plan.Deliver), Is.EqualTo(new[] { "p1" }), "the other side's message is new to local users");
    }

    [Test]
    public void A_split_message_the_primary_already_has_is_confirmed_recorded_and_not_shown_again()
    {
        var pending = new[] { Local("a", "Troy", 1), Local("b", "Troy", 2) };
        var plan = NetjoinMerge.Plan(pending, [Missed("p1", "Troy", "a"), Missed("p2", "Wumpus")], Primary, _ => false);
        Assert.That(plan.Confirmed.Select(p => p.OriginId), Is.EqualTo(new[] { "a" }));
        Assert.That(plan.Submit.Select(p => p.OriginId), Is.EqualTo(new[] { "b" }));
        Assert.That(Ids(plan.Record), Is.EqualTo(new[] { "p1", "p2" }), "recorded with the primary's id, in the primary's order");
        Assert.That(Ids(plan.Deliver), Is.EqualTo(new[] { "p2" }));
    }

    [Test]
    public void A_message_in_flight_that_local_users_never_saw_is_shown_when_the_primary_has_it()
    {
        var plan = NetjoinMerge.Plan([Local("a", "Troy", 1, delivered: false)], [Missed("p1", "Troy", "a")], Primary, _ => false);
        Assert.That(plan.Confirmed.Select(p => p.OriginId), Is.EqualTo(new[] { "a" }));
        Assert.That(Ids(plan.Deliver), Is.EqualTo(new[] { "p1" }));
        Assert.That(plan.Submit, Is.Empty);
    }

    [Test]
    public void The_same_origin_id_from_another_nick_is_another_message()
    {
        var plan = NetjoinMerge.Plan([Local("a", "Troy", 1)], [Missed("p1", "Wumpus", "a")], Primary, _ => false);
        Assert.That(plan.Confirmed, Is.Empty);
        Assert.That(plan.Submit.Select(p => p.OriginId), Is.EqualTo(new[] { "a" }));
        Assert.That(Ids(plan.Deliver), Is.EqualTo(new[] { "p1" }));
    }

    [Test]
    public void Messages_the_replica_holds_or_that_come_twice_are_recorded_and_delivered_once()
    {
        var plan = NetjoinMerge.Plan([], [Missed("p1", "Wumpus"), Missed("p2", "Wumpus"), Missed("p2", "Wumpus"), Missed("p3", "Valdis")], Primary, id => id == "p1");
        Assert.That(Ids(plan.Record), Is.EqualTo(new[] { "p2", "p3" }));
        Assert.That(Ids(plan.Deliver), Is.EqualTo(new[] { "p2", "p3" }));
    }

    [Test]
    public void A_pending_message_is_confirmed_once_even_if_the_primary_sends_its_copy_twice()
    {
        var plan = NetjoinMerge.Plan([Local("a", "Troy", 1)], [Missed("p1", "Troy", "a"), Missed("p1", "Troy", "a")], Primary, _ => false);
        Assert.That(plan.Confirmed, Has.Count.EqualTo(1));
        Assert.That(Ids(plan.Record), Is.EqualTo(new[] { "p1" }));
        Assert.That(plan.Deliver, Is.Empty);
    }

    [Test]
    public void Roster_reconcile_announces_who_left_and_who_came_or_changed_in_the_primarys_order()
    {
        RosterEntry E(string nick, string show = "") => new(nick, XElement.Parse(
            $"<presence xmlns='jabber:component:accept' from='room@muc.alpha.test/{nick}'>{(show == "" ? "" : $"<show>{show}</show>")}</presence>"));
        var held = new OrderedDictionary<string, RosterEntry> { ["Wumpus"] = E("Wumpus"), ["Valdis"] = E("Valdis"), ["Troy"] = E("Troy") };
        var fresh = new OrderedDictionary<string, RosterEntry> { ["Phaedrus"] = E("Phaedrus"), ["Wumpus"] = E("Wumpus", "xa"), ["Troy"] = E("Troy") };
        var changes = RosterReconcile.Diff(held, fresh);
        Assert.That(changes.Gone.Select(e => e.Nick), Is.EqualTo(new[] { "Valdis" }));
        Assert.That(changes.Changed.Select(e => e.Nick), Is.EqualTo(new[] { "Phaedrus", "Wumpus" }));
    }
}
