using Microsoft.Extensions.Configuration;
using XmppGroupChat.Component;
using XmppGroupChat.Mirror.Fmuc;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Mirror;

[TestFixture]
public sealed class MirrorSettingsTests
{
    private static MirrorSettings Read(params (string Key, string Value)[] values) => MirrorSettings.Read(
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build(),
        "mirror.beta.test");

    [Test]
    public void By_default_messages_wait_for_the_master_and_only_the_servers_users_are_served()
    {
        var s = Read();
        Assert.That(s.FireAndForgetFor(Jid.Parse("room@muc.alpha.test")), Is.False);
        Assert.That(s.HistorySize, Is.EqualTo(MirrorSettings.DefaultHistorySize));
        Assert.That(s.RoomCheckSeconds, Is.EqualTo(60));
        Assert.That(Read(("Mirror:RoomCheckSeconds", "0")).RoomCheckSeconds, Is.Zero, "0 turns the room check off");
        Assert.That(s.Serves(Jid.Parse("kev@beta.test/Swift")), Is.True);
        Assert.That(s.Serves(Jid.Parse("eve@gamma.test/x")), Is.False);
    }

    [Test]
    public void A_room_override_wins_over_the_default()
    {
        var s = Read(("Mirror:FireAndForget", "true"), ("Mirror:Rooms:quiet@muc.alpha.test:FireAndForget", "false"));
        Assert.That(s.FireAndForgetFor(Jid.Parse("room@muc.alpha.test")), Is.True);
        Assert.That(s.FireAndForgetFor(Jid.Parse("Quiet@MUC.alpha.test")), Is.False);
    }

    [Test]
    public void Anyone_may_be_served_when_configured()
    {
        Assert.That(Read(("Mirror:Users", "*")).Serves(Jid.Parse("eve@gamma.test/x")), Is.True);
    }

    [TestCase("Mirror:FireAndForget", "yes")]
    [TestCase("Mirror:Rooms:not a jid:FireAndForget", "true")]
    [TestCase("Mirror:Rooms:muc.alpha.test:FireAndForget", "true")]
    [TestCase("Mirror:HistorySize", "-1")]
    [TestCase("Mirror:RoomCheckSeconds", "-1")]
    [TestCase("Mirror:RoomCheckSeconds", "soon")]
    public void A_bad_setting_is_a_configuration_error(string key, string value)
    {
        Assert.That(() => Read((key, value)), Throws.TypeOf<ComponentConfigurationException>().With.Message.Contains("Mirror:"));
    }
}
