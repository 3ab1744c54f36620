using System.Xml.Linq;
using XmppGroupChat.Xmpp;
using static XmppGroupChat.Tests.Unit.Mirror.MirrorTestKit;

namespace XmppGroupChat.Tests.Unit.Mirror;

/// <summary>Room messages (normal and fire-and-forget) and private messages through the mirror, against both kinds of master.</summary>
[TestFixture(MasterKind.Fmuc)]
[TestFixture(MasterKind.Plain)]
public sealed class MirrorMessageTests(MasterKind master)
{
    private static readonly XName NoMirror = XName.Get("nomirror", Fmuc);

    private static async Task<MirrorHarness> TwoUsersAsync(params (string, string)[] settings)
    {
        var h = new MirrorHarness(settings);
        await h.JoinAsync(Kev, "Kev");
        await h.JoinAsync(Ann, "Ann");
        h.TakeSent();
        return h;
    }

    /// <summary>The master's broadcast of a groupchat message, as this kind of master sends it to the mirror.</summary>
    private async Task MasterBroadcastsAsync(MirrorHarness h, string fromNick, string id, string body)
    {
        var payload = $"<body>{body}</body><stanza-id xmlns='urn:xmpp:sid:0' id='arch-{id}' by='{Room}'/>";
        if (master == MasterKind.Fmuc)
            await h.SendAsync($"<message type='groupchat' id='{id}' from='{Room}/{fromNick}' to='{Proxy}'>{payload}</message>");
        else
            foreach (var user in new[] { Kev, Ann })
                await h.SendAsync($"<message type='groupchat' id='{id}' from='{Room}/{fromNick}' to='{h.ProxyJidOf(user)}'>{payload}</message>");
    }

    [Test]
    public async Task A_message_goes_upstream_and_is_delivered_only_when_the_masters_copy_comes_back()
    {
        var h = await TwoUsersAsync();
        await h.SendAsync($"<message type='groupchat' id='m1' from='{Kev}' to='{Proxy}'><body>It's getting warm in here.</body>" +
                          $"<active xmlns='http://jabber.org/protocol/chatstates'/><nomirror xmlns='{Fmuc}'/></message>");
        XmlAssert.AreEqual($"""
            <message xmlns='jabber:component:accept' type='groupchat' id='m1' from='{h.ProxyJidOf(Kev)}' to='{Room}'>
              <body>It's getting warm in here.</body>
              <active xmlns='http://jabber.org/protocol/chatstates'/>
            </message>
            """, h.TakeSent().Single()); // nothing local yet, and a user's own nomirror does not travel

        await MasterBroadcastsAsync(h, "Kev", "m1", "It's getting warm in here.");
        var sent = h.TakeSent();
        Assert.That(sent.Select(To), Is.EquivalentTo(new[] { Kev, Ann }), "each local user once");
        XmlAssert.AreEqual($"""
            <message xmlns='jabber:component:accept' type='groupchat' id='m1' from='{Proxy}/Kev' to='{Kev}'>
              <body>It's getting warm in here.</body>
              <stanza-id xmlns='urn:xmpp:sid:0' id='arch-m1' by='{Room}'/>
            </message>
            """, sent.Single(e => To(e) == Kev));
    }

    [Test]
    public async Task Fire_and_forget_delivers_at_once_sends_nomirror_and_drops_a_plain_mucs_echo()
    {
        var h = await TwoUsersAsync(("Mirror:FireAndForget", "true"));
        await h.SendAsync($"<message type='groupchat' id='f1' from='{Kev}' to='{Proxy}'><body>warm</body></message>");
        var sent = h.TakeSent();
        XmlAssert.AreEqual($"""
            <message xmlns='jabber:component:accept' type='groupchat' id='f1' from='{h.ProxyJidOf(Kev)}' to='{Room}'>
              <body>warm</body><nomirror xmlns='{Fmuc}'/>
            </message>
            """, sent[0]);
        Assert.That(sent.Skip(1).Select(To), Is.EquivalentTo(new[] { Kev, Ann }));
        XmlAssert.AreEqual($"<message xmlns='jabber:component:accept' type='groupchat' id='f1' from='{Proxy}/Kev' to='{Ann}'><body>warm</body></message>",
            sent.Single(e => To(e) == Ann));

        // An FMUC master sends nothing back; a plain MUC echoes to every proxy session anyway.
        if (master == MasterKind.Plain) await MasterBroadcastsAsync(h, "Kev", "f1", "warm");
        Assert.That(h.TakeSent(), Is.Empty, "no second copy");

        await MasterBroadcastsAsync(h, "Curtis", "c1", "someone else");
        Assert.That(h.TakeSent().Select(To), Is.EquivalentTo(new[] { Kev, Ann }), "other messages still arrive");
    }

    [Test]
    public async Task Fire_and_forget_gives_a_message_without_id_one_so_its_echo_is_known()
    {
        var h = await TwoUsersAsync(("Mirror:FireAndForget", "true"));
        await h.SendAsync($"<message type='groupchat' from='{Kev}' to='{Proxy}'><body>no id</body></message>");
        var sent = h.TakeSent();
        var id = sent[0].GetId();
        Assert.That(id, Is.Not.Null.And.Not.Empty);
        Assert.That(sent.Skip(1).Select(e => e.GetId()), Is.All.EqualTo(id));
        if (master == MasterKind.Plain) await MasterBroadcastsAsync(h, "Kev", id!, "no id");
        Assert.That(h.TakeSent(), Is.Empty);
    }

    [Test]
    public async Task A_per_room_setting_overrides_the_default_both_ways()
    {
        var on = await TwoUsersAsync(("Mirror:Rooms:room@muc.alpha.test:FireAndForget", "true"));
        await on.SendAsync($"<message type='groupchat' id='a' from='{Kev}' to='{Proxy}'><body>x</body></message>");
        Assert.That(on.TakeSent()[0].Element(NoMirror), Is.Not.Null);

        var off = await TwoUsersAsync(("Mirror:FireAndForget", "true"), ("Mirror:Rooms:Room@MUC.alpha.test:FireAndForget", "false"));
        await off.SendAsync($"<message type='groupchat' id='b' from='{Kev}' to='{Proxy}'><body>x</body></message>");
        var sent = off.TakeSent().Single();
        Assert.That(sent.Element(NoMirror), Is.Null);
    }

    [Test]
    public async Task Fire_and_forget_is_for_messages_with_a_body()
    {
        var h = await TwoUsersAsync(("Mirror:FireAndForget", "true"));
        await h.SendAsync($"<message type='groupchat' id='cs' from='{Kev}' to='{Proxy}'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>");
        var sent = h.TakeSent().Single();
        Assert.That(To(sent), Is.EqualTo(Room));
        Assert.That(sent.Element(NoMirror), Is.Null);
    }

    [Test]
    public async Task Only_a_joined_session_may_send_to_the_room()
    {
        var h = await TwoUsersAsync();
        await h.SendAsync($"<message type='groupchat' id='x' from='bob@beta.test/Dino' to='{Proxy}'><body>let me in</body></message>");
        var refusal = h.TakeSent().Single();
        Assert.That(Condition(refusal), Is.EqualTo(StanzaErrorCondition.NotAcceptable));
        Assert.That(From(refusal), Is.EqualTo(Proxy));
    }

    [Test]
    public async Task Private_messages_go_to_the_occupant_upstream_and_come_back_to_the_session()
    {
        var h = await TwoUsersAsync();
        await h.SendAsync($"<message type='chat' id='pm1' from='{Kev}' to='{Proxy}/Curtis'><body>psst</body></message>");
        XmlAssert.AreEqual($"<message xmlns='jabber:component:accept' type='chat' id='pm1' from='{h.ProxyJidOf(Kev)}' to='{Room}/Curtis'><body>psst</body></message>",
            h.TakeSent().Single());

        await h.SendAsync($"<message type='chat' id='pm2' from='{Room}/Curtis' to='{h.ProxyJidOf(Kev)}'><body>what?</body><x xmlns='{MucUser}'/></message>");
        XmlAssert.AreEqual($"<message xmlns='jabber:component:accept' type='chat' id='pm2' from='{Proxy}/Curtis' to='{Kev}'><body>what?</body><x xmlns='{MucUser}'/></message>",
            h.TakeSent().Single());
    }

    [Test]
    public async Task The_masters_refusal_of_a_message_reaches_its_sender()
    {
        var h = await TwoUsersAsync();
        await h.SendAsync($"<message type='groupchat' id='v1' from='{Kev}' to='{Proxy}'><body>may I?</body></message>");
        h.TakeSent();
        await h.SendAsync($"<message type='error' id='v1' from='{Room}' to='{h.ProxyJidOf(Kev)}'><body>may I?</body>" +
                          "<error type='auth'><forbidden xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
        var error = h.TakeSent().Single();
        Assert.That(To(error), Is.EqualTo(Kev));
        Assert.That(From(error), Is.EqualTo(Proxy));
        Assert.That(Condition(error), Is.EqualTo(StanzaErrorCondition.Forbidden));
        Assert.That(h.Mirror.RoomCount, Is.EqualTo(1), "a refused message does not end the session");
    }

    [Test]
    public async Task A_subject_change_reaches_everyone()
    {
        var h = await TwoUsersAsync();
        if (master == MasterKind.Fmuc)
            await h.SendAsync($"<message type='groupchat' from='{Room}/Curtis' to='{Proxy}'><subject>New</subject></message>");
        else
            foreach (var user in new[] { Kev, Ann })
                await h.SendAsync($"<message type='groupchat' from='{Room}/Curtis' to='{h.ProxyJidOf(user)}'><subject>New</subject></message>");
        var sent = h.TakeSent();
        Assert.That(sent.Select(To), Is.EquivalentTo(new[] { Kev, Ann }));
        Assert.That(sent.Select(e => e.Element(Ns.Component + "subject")!.Value), Is.All.EqualTo("New"));
    }
}
