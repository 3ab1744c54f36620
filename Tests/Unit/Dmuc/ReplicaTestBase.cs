using System.Xml.Linq;
using XmppGroupChat.Xmpp;
using XmppGroupChat.Tests.Unit.Support;

namespace XmppGroupChat.Tests.Unit.Dmuc;

/// <summary>
/// The seed's cast on the wire contract's addresses: the primary room room@muc.alpha.test, this
/// replica dmuc-replica.beta.test (R = room\40muc.alpha.test@dmuc-replica.beta.test), local users
/// troy@beta.test/screwdriver and squit@beta.test/jupiter, remote occupants Wumpus and Valdis.
/// Helpers play the primary's part of each flow.
/// </summary>
public abstract class ReplicaTestBase
{
    protected const string D = "urn:xmpp:tmp:dmuc:0";
    protected const string MucNs = "http://jabber.org/protocol/muc";
    protected const string MucUserNs = "http://jabber.org/protocol/muc#user";
    protected const string Primary = ReplicaHarness.Primary;
    protected const string R = ReplicaHarness.R;
    protected const string Troy = "troy@beta.test/screwdriver";
    protected const string Wiz = "squit@beta.test/jupiter";
    private protected ReplicaHarness H = null!;

    protected virtual XmppGroupChat.DmucReplica.Dmuc.ReplicaSettings Settings => ReplicaHarness.DefaultSettings();

    [SetUp]
    public async Task StartReplica() => H = await ReplicaHarness.StartAsync(Settings);

    [TearDown]
    public async Task StopReplica() => await H.DisposeAsync();

    protected string Rs(string user) => $"{R}/{H.Sid(user)}";

    /// <summary>The golden comparison: <paramref name="actual"/> as the expected XML, ignoring a random id the expectation leaves out.</summary>
    protected static void Golden(string expected, XElement actual)
    {
        var e = LinkView.Parse(expected);
        var a = new XElement(actual);
        if (e.Attribute("id") is null) a.SetAttributeValue("id", null);
        XmlAssert.AreEqual(e, a);
    }

    protected static bool To(XElement e, string to) => (string?)e.Attribute("to") == to;

    protected static IEnumerable<string> Codes(XElement presence) =>
        presence.Element(Ns.MucUser + "x")?.Elements(Ns.MucUser + "status").Select(s => (string)s.Attribute("code")!) ?? [];

    protected static string Occupant(string nick, string affiliation = "none", string role = "participant", string? jid = null, string extra = "") =>
        $"<presence from='{Primary}/{nick}' to='{R}'>{extra}<x xmlns='{MucUserNs}'><item affiliation='{affiliation}' role='{role}'{(jid is null ? "" : $" jid='{jid}'")}/></x>" +
        $"<occupant-id xmlns='urn:xmpp:occupant-id:0' id='o-{nick.ToLowerInvariant()}'/></presence>";

    protected static string Subject(string text, string by = "Wumpus") =>
        $"<message from='{Primary}/{by}' to='{R}' type='groupchat'><subject>{text}</subject></message>";

    /// <summary>A broadcast as the primary sends it to each replica: stanza-id by the room, the original time inside the dmuc element.</summary>
    protected static string Broadcast(string nick, string body, string id, string stamp, string? originId = null, string? to = null) =>
        $"<message from='{Primary}/{nick}' to='{to ?? R}' type='groupchat' id='{id}'><body>{body}</body>" +
        (originId is null ? "" : $"<origin-id xmlns='urn:xmpp:sid:0' id='{originId}'/>") +
        $"<stanza-id xmlns='urn:xmpp:sid:0' id='{id}' by='{Primary}'/><occupant-id xmlns='urn:xmpp:occupant-id:0' id='o-{nick.ToLowerInvariant()}'/>" +
        $"<x xmlns='{D}'><delay xmlns='urn:xmpp:delay' from='{Primary}/{nick}' stamp='{stamp}'/></x></message>";

    /// <summary>A local user asks to enter; returns what the replica sends the primary (a replicate first if it does not hold the room).</summary>
    protected Task EnterAsync(string user, string nick, string muc = "") =>
        H.SendAsync($"<presence from='{user}' to='{R}/{nick}' id='join-{nick}'><show>chat</show><x xmlns='{MucNs}'>{muc}</x></presence>");

    /// <summary>Plays the primary's answer to a replicate: roster, subject, history, then the result naming the last id.</summary>
    private protected async Task AnswerReplicateAsync(ReplicaHarness.Request replicate, IEnumerable<string> roster, string subject, IEnumerable<string> history, string? last)
    {
        foreach (var p in roster) await H.SendAsync(p);
        await H.SendAsync(subject);
        foreach (var m in history) await H.SendAsync(m);
        ReplicaHarness.Answer(replicate, last is null ? $"<replicated xmlns='{D}'/>" : $"<replicated xmlns='{D}' last='{last}'/>");
    }

    /// <summary>The primary admits a local session: the broadcast of its presence to R, then &lt;enter/&gt; to R/&lt;sid&gt;.</summary>
    protected async Task AdmitAsync(string user, string nick, string role = "participant", string affiliation = "none", string codes = "<status code='170'/>")
    {
        await H.SendAsync(Occupant(nick, affiliation, role, extra: "<show>chat</show>"));
        await H.SendAsync($"<presence from='{Primary}/{nick}' to='{Rs(user)}'><show>chat</show><x xmlns='{D}'><enter jid='{user}'/></x>" +
                          $"<x xmlns='{MucUserNs}'><item affiliation='{affiliation}' role='{role}' jid='{user}'/>{codes}</x>" +
                          $"<occupant-id xmlns='urn:xmpp:occupant-id:0' id='o-{nick.ToLowerInvariant()}'/></presence>");
    }

    /// <summary>Troy enters a room the replica does not hold yet: registration with Wumpus in the room and one message of history, then admission.</summary>
    protected async Task TroyInTheRoomAsync(string troyRole = "participant")
    {
        await EnterAsync(Troy, "Troy");
        var replicate = await H.NextRequestAsync();
        await AnswerReplicateAsync(replicate, [Occupant("Wumpus", "owner", "moderator", jid: troyRole == "moderator" ? "argl@killrc.test/laptop" : null)],
            Subject("The battle of wallops"), [Broadcast("Wumpus", "Honest! He did!!", "p1", "1990-01-23T19:50:01Z")], "p1");
        await H.WaitForAsync(e => e.Name.LocalName == "presence" && To(e, $"{Primary}/Troy"));
        await AdmitAsync(Troy, "Troy", troyRole);
        await H.WaitForAsync(e => To(e, Troy) && e.Element(Ns.Component + "subject") != null);
        await H.SettleAsync();
    }

    /// <summary>A second local user enters the room the replica holds already.</summary>
    protected async Task WizInTheRoomAsync()
    {
        await EnterAsync(Wiz, "WiZ");
        await H.WaitForAsync(e => e.Name.LocalName == "presence" && To(e, $"{Primary}/WiZ"));
        await AdmitAsync(Wiz, "WiZ");
        await H.WaitForAsync(e => To(e, Wiz) && e.Element(Ns.Component + "subject") != null);
        await H.SettleAsync();
    }

    /// <summary>Time passes beyond the keepalive; the replica pings; the ping goes unanswered: split.</summary>
    protected async Task<List<XElement>> SplitAsync()
    {
        H.Clock.Advance(H.Settings.Keepalive);
        await H.TickAsync();
        var ping = await H.NextRequestAsync();
        Assert.That(ping.Iq.Element(Ns.Ping + "ping"), Is.Not.Null, ping.Iq.ToString());
        ReplicaHarness.TimeOut(ping);
        return await H.SettleAsync();
    }
}
