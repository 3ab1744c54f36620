using XmppGroupChat.Component;

namespace XmppGroupChat.Tests.Unit.Component;

/// <summary>
/// How the link ends and resumes a session that was established: an orderly close, a lost
/// session and a stream error after the handshake are reconnected and logged for what they are.
/// </summary>
[TestFixture]
public sealed class ComponentLinkSessionTests
{
    private LinkHarness _h = null!;

    [TearDown]
    public async Task TearDown() => await _h.DisposeAsync();

    [Test]
    public async Task An_orderly_close_by_the_server_is_answered_logged_as_such_and_followed_by_a_reconnection()
    {
        _h = LinkHarness.Start();
        var c = await _h.ConnectedAsync();
        await c.SendAsync("</stream:stream>");
        await c.WaitForTextAsync("</stream:stream>"); // the link closes its side too
        var again = await _h.ConnectedAsync();

        var lost = await _h.Logger.WaitForAsync(1002);
        Assert.That(lost["Reason"], Is.EqualTo("the server closed the stream"));
        await _h.Logger.WaitForAsync(1011);
        Assert.That(_h.Logger.WithId(1003), Is.Empty, "the link never failed to connect");
        await again.SendAsync(LinkHarness.Ping("back"));
        XmlAssert.AreEqual(LinkHarness.PingResult("back"), await again.WaitForIdAsync("back"));
    }

    [Test]
    public async Task After_a_lost_session_failed_connections_are_counted_from_one()
    {
        _h = LinkHarness.Start();
        var c = await _h.ConnectedAsync();
        _h.Server.HandshakeError = "conflict";
        c.Close();

        var firstFailure = await _h.Logger.WaitForAsync(1003);
        Assert.That(firstFailure["Attempt"], Is.EqualTo(1));
        Assert.That((string)firstFailure["Reason"]!, Does.Contain("conflict"), "the lost session is not reported as a failed connection");
        var retried = await _h.Logger.WaitForAsync(1011);
        Assert.That(_h.Logger.Entries.ToList().IndexOf(retried), Is.LessThan(_h.Logger.Entries.ToList().IndexOf(firstFailure)),
            "the reconnection after the lost session is logged first");
        await _h.Logger.WaitForAsync(1003, e => (int)e["Attempt"]! == 2);

        _h.Server.HandshakeError = null;
        var again = await _h.ConnectedAsync();
        await again.SendAsync(LinkHarness.Ping("back"));
        await again.WaitForIdAsync("back");
    }

    [TestCase("not-authorized")]
    [TestCase("host-unknown")]
    public async Task A_configuration_condition_after_the_handshake_is_a_lost_session_not_a_configuration_error(string condition)
    {
        _h = LinkHarness.Start();
        var c = await _h.ConnectedAsync();
        await c.SendAsync($"<stream:error><{condition} xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>");
        c.Close();

        var again = await _h.ConnectedAsync();
        await again.SendAsync(LinkHarness.Ping("back"));
        await again.WaitForIdAsync("back");
        Assert.That(_h.Run.IsCompleted, Is.False, "the link keeps running");
        Assert.That((string)(await _h.Logger.WaitForAsync(1002))["Reason"]!, Does.Contain($"<{condition}/>"));
        Assert.That(_h.Logger.WithId(1004), Is.Empty);
    }
}
