using System.Xml.Linq;
using XmppGroupChat.Tests.Integration.Infrastructure;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Integration;

/// <summary>
/// The OLPC shared-activity profile (the XOs' Telepathy client, as the OLPC wiki's "XMPP
/// Extensions" page describes it), step by step on a real Prosody and a real ejabberd: find the
/// conference service by disco from the user's own server, make one temporary, hidden,
/// non-anonymous room for the activity, invite by mediated invitation, and see the room vanish
/// when its last occupant leaves.
/// </summary>
[TestFixture(ServerKind.Prosody)]
[TestFixture(ServerKind.Ejabberd)]
[Category("Integration")]
public sealed class OlpcActivityTests(ServerKind kind) : ServerWithProgramsFixture(kind)
{
    private const string RoomConfigForm = "http://jabber.org/protocol/muc#roomconfig";

    [OneTimeSetUp]
    public async Task RegisterUsers() => await (await TestClient.ConnectAsync(Server.C2sPort, "bob")).DisposeAsync();

    [Test]
    public async Task A_shared_activity_finds_the_service_gets_a_private_temporary_room_invites_and_the_room_vanishes()
    {
        // 1. The conference service: the first item of the server's disco#items whose disco#info has
        //    identity conference/text and the muc feature.
        var items = await Alice.RequestAsync(Stanza.Iq("get", null, Jid.Parse(XmppServer.Domain), new XElement(Ns.DiscoItems + "query")));
        Assert.That(items.GetStanzaType(), Is.EqualTo("result"), items.ToString());
        var listed = items.Descendants(Ns.DiscoItems + "item").Select(i => i.Attribute("jid")!.Value).ToList();
        TestContext.Out.WriteLine("the server lists: " + string.Join(", ", listed));
        string? service = null;
        foreach (var item in listed)
        {
            var info = await Alice.RequestAsync(Stanza.Iq("get", null, Jid.Parse(item), new XElement(Ns.DiscoInfo + "query")));
            if (info.GetStanzaType() != "result") continue;
            var query = info.Element(Ns.DiscoInfo + "query")!;
            var textConference = query.Elements(Ns.DiscoInfo + "identity")
                .Any(i => i.Attribute("category")?.Value == "conference" && i.Attribute("type")?.Value == "text");
            var muc = query.Elements(Ns.DiscoInfo + "feature").Any(f => f.Attribute("var")?.Value == Ns.Muc.NamespaceName);
            TestContext.Out.WriteLine($"{item}: " + string.Join(", ", query.Elements(Ns.DiscoInfo + "identity")
                .Select(i => $"{i.Attribute("category")?.Value}/{i.Attribute("type")?.Value}")) + (muc ? " with the muc feature" : ""));
            if (textConference && muc)
            {
                service = item;
                break;
            }
        }
        Assert.That(service, Is.EqualTo("muc.localhost"), "the first conference/text service with the muc feature; listed: " + string.Join(", ", listed));

        // 2. One room per shared activity, named by the activity, created by entering it.
        var room = Jid.Create("activity-" + Guid.NewGuid().ToString("N")[..10], service!);
        await Alice.SendAsync(new XElement(Ns.Component + "presence", new XAttribute("to", room + "/alice"), new XElement(Ns.Muc + "x")));
        var entered = await Alice.WaitForAsync(e => IsSelfPresence(e, room));
        Assert.That(StatusCodes(entered), Does.Contain("201"), "a new room: " + entered);

        // 3. Configured not persistent, not public, real JIDs visible to anyone.
        var form = await Alice.RequestAsync(Stanza.Iq("get", null, room, new XElement(Ns.MucOwner + "query")));
        Assert.That(form.GetStanzaType(), Is.EqualTo("result"), form.ToString());
        var configured = await Alice.RequestAsync(Stanza.Iq("set", null, room, new XElement(Ns.MucOwner + "query",
            new XElement(Ns.DataForms + "x", new XAttribute("type", "submit"),
                Field("FORM_TYPE", RoomConfigForm),
                Field("muc#roomconfig_persistentroom", "0"),
                Field("muc#roomconfig_publicroom", "0"),
                Field("muc#roomconfig_whois", "anyone")))));
        Assert.That(configured.GetStanzaType(), Is.EqualTo("result"), configured.ToString());

        var roomInfo = await Alice.RequestAsync(Stanza.Iq("get", null, room, new XElement(Ns.DiscoInfo + "query")));
        Assert.That(roomInfo.GetStanzaType(), Is.EqualTo("result"), roomInfo.ToString());
        var features = roomInfo.Descendants(Ns.DiscoInfo + "feature").Select(f => f.Attribute("var")?.Value).ToList();
        Assert.That(features, Does.Contain("muc_temporary").And.Contain("muc_hidden").And.Contain("muc_nonanonymous"), roomInfo.ToString());
        Assert.That(features, Does.Not.Contain("muc_persistent").And.Not.Contain("muc_public").And.Not.Contain("muc_semianonymous"));

        var rooms = await Alice.RequestAsync(Stanza.Iq("get", null, Jid.Parse(service!), new XElement(Ns.DiscoItems + "query")));
        Assert.That(rooms.GetStanzaType(), Is.EqualTo("result"), rooms.ToString());
        Assert.That(rooms.Descendants(Ns.DiscoItems + "item").Select(i => i.Attribute("jid")?.Value), Does.Not.Contain(room.ToString()),
            "a hidden room is not listed: " + rooms);

        // 4. A mediated invitation reaches bob from the room.
        await using var bob = await TestClient.ConnectAsync(Server.C2sPort, "bob", resource: "xo");
        await bob.SendAsync(new XElement(Ns.Component + "presence")); // online, so the server delivers to the bare JID
        await bob.WaitForAsync(e => e.Name.LocalName == "presence" && e.GetFrom() == bob.Jid); // the server has it
        await Alice.SendAsync(new XElement(Ns.Component + "message", new XAttribute("to", room.ToString()),
            new XElement(Ns.MucUser + "x", new XElement(Ns.MucUser + "invite", new XAttribute("to", "bob@localhost")))));
        var invitation = await bob.WaitForAsync(e => e.Name.LocalName == "message" && e.Element(Ns.MucUser + "x")?.Element(Ns.MucUser + "invite") != null);
        Assert.That(invitation.GetFrom(), Is.EqualTo(room), invitation.ToString());
        Assert.That(invitation.GetStanzaType(), Is.Not.EqualTo("error"), invitation.ToString());
        var inviter = invitation.Element(Ns.MucUser + "x")!.Element(Ns.MucUser + "invite")!.Attribute("from")?.Value;
        Assert.That(inviter is not null && Jid.Parse(inviter).BareEquals(Alice.Jid), Is.True, "the invitation names alice: " + invitation);

        // 5. bob joins; in a non-anonymous room each sees the other's real JID.
        await bob.SendAsync(new XElement(Ns.Component + "presence", new XAttribute("to", room + "/bob"), new XElement(Ns.Muc + "x")));
        var aliceSeenByBob = await bob.WaitForAsync(e => e.Name.LocalName == "presence" && e.GetFrom() == room.WithResource("alice"));
        Assert.That(aliceSeenByBob.Descendants(Ns.MucUser + "item").Single().Attribute("jid")?.Value, Is.EqualTo(Alice.Jid.ToString()), aliceSeenByBob.ToString());
        var bobIn = await bob.WaitForAsync(e => IsSelfPresence(e, room));
        Assert.That(StatusCodes(bobIn), Does.Contain("100").And.Not.Contain("201"), "non-anonymous room, not new: " + bobIn);
        var bobSeenByAlice = await Alice.WaitForAsync(e => e.Name.LocalName == "presence" && e.GetFrom() == room.WithResource("bob"));
        Assert.That(bobSeenByAlice.Descendants(Ns.MucUser + "item").Single().Attribute("jid")?.Value, Is.EqualTo(bob.Jid.ToString()), bobSeenByAlice.ToString());

        // 6. Both leave; the room is gone.
        foreach (var client in new[] { bob, Alice })
        {
            await client.SendAsync(new XElement(Ns.Component + "presence", new XAttribute("to", room + "/" + client.Jid.Local), new XAttribute("type", "unavailable")));
            await client.WaitForAsync(e => IsSelfPresence(e, room) && e.GetStanzaType() == "unavailable");
        }
        var gone = await Alice.RequestAsync(Stanza.Iq("get", null, room, new XElement(Ns.DiscoInfo + "query")));
        Assert.That(gone.GetStanzaType(), Is.EqualTo("error"), "the room should be gone: " + gone);
        Assert.That(StanzaError.FromStanza(gone)?.Condition, Is.EqualTo(StanzaErrorCondition.ItemNotFound), gone.ToString());
        var after = await Alice.RequestAsync(Stanza.Iq("get", null, Jid.Parse(service!), new XElement(Ns.DiscoItems + "query")));
        Assert.That(after.Descendants(Ns.DiscoItems + "item").Select(i => i.Attribute("jid")?.Value), Does.Not.Contain(room.ToString()));
    }

    private static XElement Field(string var, string value) =>
        new(Ns.DataForms + "field", new XAttribute("var", var), new XElement(Ns.DataForms + "value", value));

    private static bool IsSelfPresence(XElement e, Jid room) =>
        e.Name.LocalName == "presence" && e.GetFrom() is { } from && from.BareEquals(room) && StatusCodes(e).Contains("110");

    private static List<string> StatusCodes(XElement presence) =>
        presence.Descendants(Ns.MucUser + "status").Select(s => s.Attribute("code")?.Value ?? "").ToList();
}
