using System.Xml.Linq;
using XmppGroupChat.Tests.Integration.Infrastructure;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Integration;

/// <summary>
/// The room host's MUC face on a real Prosody and a real ejabberd: slixmpp's xep_0045 client
/// through the XEP-0045 flows, and one conversation shared with a MIX participant. The owner and
/// admin use cases (ban, password, destroy, voice and members) are in MucOnServerTests.OwnerAndAdmin.cs.
/// </summary>
[TestFixture(ServerKind.Prosody)]
[TestFixture(ServerKind.Ejabberd)]
[Category("Integration")]
public sealed partial class MucOnServerTests(ServerKind kind) : ServerWithProgramsFixture(kind)
{
    private static readonly XNamespace CoreNs = "urn:xmpp:mix:core:1";

    [OneTimeSetUp]
    public async Task RegisterUsers()
    {
        foreach (var user in new[] { "bob", "carol", "dave" })
            await (await TestClient.ConnectAsync(Server.C2sPort, user)).DisposeAsync();
    }

    [Test]
    public async Task Slixmpp_creates_talks_gets_history_renames_kicks_pages_and_is_refused_where_it_should_be()
    {
        var r = await Slixmpp.RunAsync("muc_scenario.py", Server.C2sPort.ToString(), "muc.localhost", "den" + Kind.ToString().ToLowerInvariant());
        Assert.That(r.GetProperty("alice_codes").EnumerateArray().Select(c => c.GetInt32()), Does.Contain(110).And.Contain(201));
        Assert.That(r.GetProperty("bob_codes").EnumerateArray().Select(c => c.GetInt32()), Does.Contain(110).And.Not.Contain(201));
        Assert.That(r.GetProperty("bob_saw_occupants").EnumerateArray().Select(o => o.GetString()), Does.Contain("alice"));
        // alice's three and bob's one race each other to the room; every occupant sees the room's one order.
        var heard = r.GetProperty("alice_heard").EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.That(heard, Is.EquivalentTo(new[] { "alice 0", "alice 1", "alice 2", "bob 0" }));
        Assert.That(heard.Where(h => h!.StartsWith("alice")), Is.EqualTo(new[] { "alice 0", "alice 1", "alice 2" }));
        Assert.That(r.GetProperty("bob_heard").EnumerateArray().Select(m => m.GetString()), Is.EqualTo(heard));
        Assert.That(r.GetProperty("stanza_ids_match").GetBoolean(), Is.True);
        Assert.That(r.GetProperty("stanza_id_by").GetString(), Does.EndWith("@muc.localhost"));
        Assert.That(r.GetProperty("occupant_ids").GetArrayLength(), Is.EqualTo(2), "one occupant id per user");
        Assert.That(r.GetProperty("carol_history").EnumerateArray().Select(m => m.GetString()), Is.EqualTo(heard.Skip(2)));
        Assert.That(r.GetProperty("carol_history_delayed").GetBoolean(), Is.True);
        Assert.That(r.GetProperty("nick_change_codes").EnumerateArray().Select(c => c.GetInt32()), Does.Contain(303));
        Assert.That(r.GetProperty("kick_seen").GetBoolean(), Is.True);
        Assert.That(r.GetProperty("mam").EnumerateArray().Select(m => m.GetString()), Is.EqualTo(heard));
        Assert.That(r.GetProperty("config_fields").EnumerateArray().Select(f => f.GetString()),
            Is.SupersetOf(new[] { "muc#roomconfig_roomname", "muc#roomconfig_membersonly", "muc#roomconfig_whois", "muc#roomconfig_persistentroom" }));
        Assert.That(r.GetProperty("dave").GetString(), Is.EqualTo("registration-required"));
    }

    [Test]
    public async Task A_mix_participant_and_a_muc_occupant_talk_both_ways_over_one_archive()
    {
        var room = Jid.Parse("bridge@muc.localhost");
        var channel = Jid.Parse("bridge@mix.localhost");
        await using var bob = await TestClient.ConnectAsync(Server.C2sPort, "bob", resource: "mix");

        await Alice.SendAsync(new XElement(Ns.Component + "presence", new XAttribute("to", room + "/alice"), new XElement(Ns.Muc + "x")));
        await Alice.WaitForAsync(e => e.Name.LocalName == "presence" && e.Descendants(Ns.MucUser + "status").Any(s => s.Attribute("code")?.Value == "201"));
        var instant = await Alice.RequestAsync(Stanza.Iq("set", null, room, new XElement(Ns.MucOwner + "query", new XElement(Ns.DataForms + "x", new XAttribute("type", "submit")))));
        Assert.That(instant.GetStanzaType(), Is.EqualTo("result"), instant.ToString());

        var join = await bob.RequestAsync(Stanza.Iq("set", null, channel, new XElement(CoreNs + "join",
            new XElement(CoreNs + "subscribe", new XAttribute("node", "urn:xmpp:mix:nodes:messages")), new XElement(CoreNs + "nick", "bob"))));
        Assert.That(join.GetStanzaType(), Is.EqualTo("result"), join.ToString());

        await Alice.SendAsync(Stanza.Message(null, room, "groupchat", "from the muc side"));
        var atBob = await bob.WaitForAsync(e => e.Element(Ns.Client + "body")?.Value == "from the muc side");
        var atAlice = await Alice.WaitForAsync(e => e.Element(Ns.Client + "body")?.Value == "from the muc side");
        Assert.That(atBob.GetId(), Is.EqualTo(atAlice.Element(Ns.StanzaId + "stanza-id")!.Attribute("id")!.Value), "one archive id on both faces");

        await bob.SendAsync(Stanza.Message(null, channel, "groupchat", "from the mix side"));
        var back = await Alice.WaitForAsync(e => e.Element(Ns.Client + "body")?.Value == "from the mix side");
        Assert.That(back.Attribute("from")!.Value, Is.EqualTo(room + "/bob"));
    }
}
