using System.Text.Json;
using XmppGroupChat.Tests.Integration.Infrastructure;

namespace XmppGroupChat.Tests.Integration;

/// <summary>
/// XEP-0045 owner and admin use cases with slixmpp's xep_0045 on the same server and programs as
/// the other MUC tests: each runs one scenario of clients/muc_admin_scenarios.py in its own room.
/// </summary>
public sealed partial class MucOnServerTests
{
    private Task<JsonElement> RunAdminScenarioAsync(string scenario) =>
        Slixmpp.RunAsync("muc_admin_scenarios.py", Server.C2sPort.ToString(), "muc.localhost",
            scenario + Kind.ToString().ToLowerInvariant(), scenario);

    private static IEnumerable<string?> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString());

    private static IEnumerable<int> Codes(JsonElement removal) => removal.GetProperty("codes").EnumerateArray().Select(c => c.GetInt32());

    [Test]
    public async Task Slixmpp_owner_bans_with_301_the_outcast_is_refused_listed_and_let_back_when_unbanned()
    {
        var r = await RunAdminScenarioAsync("ban");
        var toCarol = r.GetProperty("carol_got").EnumerateArray().Single();
        Assert.That(Codes(toCarol), Does.Contain(301).And.Contain(110));
        Assert.That(toCarol.GetProperty("affiliation").GetString(), Is.EqualTo("outcast"));
        Assert.That(toCarol.GetProperty("role").GetString(), Is.EqualTo("none"));
        Assert.That(toCarol.GetProperty("reason").GetString(), Is.EqualTo("spamming"));
        Assert.That(toCarol.GetProperty("actor").GetString(), Is.EqualTo("alice"), "the banned user learns who banned them");
        var toBob = r.GetProperty("bob_saw").EnumerateArray().Single();
        Assert.That(Codes(toBob), Does.Contain(301).And.Not.Contain(110));
        Assert.That(toBob.GetProperty("affiliation").GetString(), Is.EqualTo("outcast"));
        Assert.That(r.GetProperty("rejoin").GetString(), Is.EqualTo("forbidden/auth"));
        Assert.That(Strings(r.GetProperty("outcasts")), Is.EqualTo(new[] { "carol@localhost" }));
        Assert.That(Strings(r.GetProperty("outcasts_after")), Is.Empty);
        Assert.That(r.GetProperty("rejoin_after").GetString(), Is.EqualTo("joined"));
    }

    [Test]
    public async Task Slixmpp_owner_sets_a_password_through_the_config_form_and_only_the_right_one_gets_in()
    {
        var r = await RunAdminScenarioAsync("password");
        Assert.That(Strings(r.GetProperty("features_before")), Does.Contain("muc_unsecured").And.Not.Contain("muc_passwordprotected"));
        Assert.That(Strings(r.GetProperty("config_fields")),
            Is.SupersetOf(new[] { "muc#roomconfig_passwordprotectedroom", "muc#roomconfig_roomsecret" }));
        Assert.That(Strings(r.GetProperty("features_after")), Does.Contain("muc_passwordprotected").And.Not.Contain("muc_unsecured"));
        Assert.That(r.GetProperty("no_password").GetString(), Is.EqualTo("not-authorized/auth"));
        Assert.That(r.GetProperty("wrong_password").GetString(), Is.EqualTo("not-authorized/auth"));
        Assert.That(r.GetProperty("right_password").GetString(), Is.EqualTo("joined"));
    }

    [Test]
    public async Task Slixmpp_owner_destroys_with_a_reason_and_a_venue_and_the_room_and_its_archive_are_gone()
    {
        var r = await RunAdminScenarioAsync("destroy");
        Assert.That(Strings(r.GetProperty("mam_before")), Is.EqualTo(new[] { "before the end" }));
        foreach (var occupant in new[] { "alice", "bob" })
        {
            var notice = r.GetProperty("destroy_notices").GetProperty(occupant).EnumerateArray().Single();
            Assert.That(notice.GetProperty("jid").GetString(), Is.EqualTo("elsewhere@muc.localhost"), occupant);
            Assert.That(notice.GetProperty("reason").GetString(), Is.EqualTo("moving house"), occupant);
        }
        Assert.That(r.GetProperty("disco_after").GetString(), Is.EqualTo("item-not-found/cancel"));
        Assert.That(r.GetProperty("mam_after").GetString(), Is.EqualTo("item-not-found/cancel"));
        // The name is free again: a join creates a new room, locked for its owner, with an empty archive.
        Assert.That(r.GetProperty("fresh_join_codes").EnumerateArray().Select(c => c.GetInt32()), Does.Contain(201));
        Assert.That(r.GetProperty("fresh_bob").GetString(), Is.EqualTo("item-not-found/cancel"));
        Assert.That(Strings(r.GetProperty("fresh_mam")), Is.Empty);
    }

    [Test]
    public async Task Slixmpp_in_a_moderated_room_a_visitor_gets_voice_from_the_moderator_and_members_have_it()
    {
        var r = await RunAdminScenarioAsync("voice");
        Assert.That(Strings(r.GetProperty("features")), Does.Contain("muc_moderated"));
        Assert.That(r.GetProperty("bob_role").GetString(), Is.EqualTo("visitor"));
        Assert.That(Strings(r.GetProperty("visitors")), Is.EqualTo(new[] { "bob" }));
        Assert.That(Strings(r.GetProperty("visitor_message")), Is.EqualTo(new[] { "forbidden/auth" }));
        Assert.That(r.GetProperty("bob_role_after").GetString(), Is.EqualTo("participant"));
        Assert.That(r.GetProperty("alice_saw_bob_role").GetString(), Is.EqualTo("participant"));
        Assert.That(Strings(r.GetProperty("alice_heard")), Does.Contain("thank you").And.Not.Contain("may I?"));

        Assert.That(r.GetProperty("bob_sets_members").GetString(), Is.EqualTo("forbidden/auth"));
        Assert.That(Strings(r.GetProperty("members")), Is.EqualTo(new[] { "carol@localhost" }));
        Assert.That(r.GetProperty("carol_affiliation").GetString(), Is.EqualTo("member"));
        Assert.That(r.GetProperty("carol_role").GetString(), Is.EqualTo("participant"), "a member has voice in a moderated room");
        Assert.That(r.GetProperty("alice_heard_carol").GetBoolean(), Is.True);
        Assert.That(Strings(r.GetProperty("members_after")), Is.Empty);
        Assert.That(r.GetProperty("carol_after").GetProperty("affiliation").GetString(), Is.EqualTo("none"));
        Assert.That(r.GetProperty("carol_after").GetProperty("role").GetString(), Is.EqualTo("visitor"));
    }
}
