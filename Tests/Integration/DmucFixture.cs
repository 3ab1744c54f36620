using System.Xml.Linq;
using XmppGroupChat.Tests.Integration.Infrastructure;
using XmppGroupChat.Tests.Integration.Infrastructure.Federation;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Integration;

/// <summary>
/// What the DMUC2 tests on federated servers share (docs/dmuc.md): the primary (room host) on
/// alpha, replicas on beta and gamma; rooms created on the primary by a user of alpha, users
/// entering through a replica or directly, the stanzas they send, and the room's archive (MAM).
/// </summary>
public abstract class DmucFixture : FederationFixture
{
    protected static readonly TimeSpan Delivery = TimeSpan.FromSeconds(20);

    protected FederatedServer Alpha => Federation["alpha"];
    protected FederatedServer Beta => Federation["beta"];
    protected FederatedServer Gamma => Federation["gamma"];
    protected string Muc => Alpha.ComponentDomain("muc");

    /// <summary>R: the replica's address for a primary room, e.g. room\40muc.alpha.test@dmuc-replica.beta.test.</summary>
    protected static string ReplicaRoom(string room, string replicaDomain) => $"{JidEscaping.Escape(room)}@{replicaDomain}";

    /// <summary>R on the replica of <paramref name="server"/>.</summary>
    protected static string ReplicaRoom(string room, FederatedServer server) => ReplicaRoom(room, server.ComponentDomain("dmuc-replica"));

    protected sealed record Room(string Jid, Inbox Owner);

    /// <summary>An instant (temporary) room on the primary, created and configured by a user of alpha (nick "boss"), who stays in it.</summary>
    protected async Task<Room> CreateRoomAsync(string name)
    {
        var jid = $"{name}-{Guid.NewGuid().ToString("N")[..6]}@{Muc}";
        var owner = await Connect(Alpha, $"owner-{jid.Split('@')[0]}");
        await owner.Client.SendAsync(EnterPresence($"{jid}/boss", "create"));
        await owner.WaitAsync(e => e.Name.LocalName == "message" && e.Element(Ns.Client + "subject") != null, Delivery);
        var form = new XElement(Ns.MucOwner + "query", new XElement(Ns.DataForms + "x", new XAttribute("type", "submit")));
        var result = await owner.Client.RequestAsync(Stanza.Iq("set", null, Jid.Parse(jid), form), Delivery);
        Assert.That(result.GetStanzaType(), Is.EqualTo("result"), result.ToString());
        return new Room(jid, owner);
    }

    /// <summary>A new client of <paramref name="server"/> that enters <paramref name="room"/> through that server's replica.</summary>
    protected async Task<Inbox> EnterThroughReplicaAsync(FederatedServer server, string user, string room, string nick)
    {
        var inbox = await Connect(server, user);
        await EnterAsync(inbox, ReplicaRoom(room, server), nick);
        return inbox;
    }

    /// <summary>A new client of <paramref name="server"/> that enters <paramref name="room"/> directly.</summary>
    protected async Task<Inbox> EnterDirectlyAsync(FederatedServer server, string user, string room, string nick)
    {
        var inbox = await Connect(server, user);
        await EnterAsync(inbox, room, nick);
        return inbox;
    }

    /// <summary>Enters (no history asked) and waits for the subject, which ends the enter; the last self-presence must carry 110.</summary>
    protected static async Task EnterAsync(Inbox inbox, string room, string nick)
    {
        var address = $"{room}/{nick}";
        var subjects = inbox.Count(IsSubject);
        await inbox.Client.SendAsync(EnterPresence(address, $"enter-{nick}-{Stanza.NewId()}"));
        await inbox.WaitAsync(_ => inbox.Count(IsSubject) > subjects, Delivery);
        var self = inbox.All(e => e.Name.LocalName == "presence" && (string?)e.Attribute("from") == address).LastOrDefault();
        Assert.That(self?.Descendants(Ns.MucUser + "status").Any(s => (string?)s.Attribute("code") == "110"), Is.True, $"{inbox.Name} entered {address}");
    }

    protected static async Task<Inbox> Connect(FederatedServer server, string user) =>
        new(await server.ConnectAsync(user, "dmuc"), $"{user}@{server.Domain}");

    protected static XElement EnterPresence(string to, string id)
    {
        var presence = Stanza.Presence(null, Jid.Parse(to));
        presence.SetAttributeValue("id", id);
        presence.Add(new XElement(Ns.Muc + "x", new XElement(Ns.Muc + "history", new XAttribute("maxstanzas", 0))));
        return presence;
    }

    protected static XElement Groupchat(string room, string body) => Stanza.Message(null, Jid.Parse(room), "groupchat", body, Stanza.NewId());

    protected static string? Body(XElement e) => e.Element(Ns.Client + "body")?.Value;

    protected static bool IsSubject(XElement e) => e.Name.LocalName == "message" && e.Element(Ns.Client + "subject") != null;

    /// <summary>
    /// The bodies in the room's archive (MAM on the room JID), oldest first, as <paramref name="reader"/>
    /// (who must be allowed to read it) gets them: up to 100 per page, every page.
    /// </summary>
    protected static async Task<List<string>> ArchivedBodiesAsync(Inbox reader, string room)
    {
        var bodies = new List<string>();
        string? after = null;
        while (true)
        {
            var queryId = Stanza.NewId();
            var query = new XElement(Ns.Mam + "query", new XAttribute("queryid", queryId), new ResultSetRequest(100, after).ToElement());
            var fin = await reader.Client.RequestAsync(Stanza.Iq("set", null, Jid.Parse(room), query), Delivery);
            Assert.That(fin.GetStanzaType(), Is.EqualTo("result"), fin.ToString());
            var last = fin.Descendants(Ns.Rsm + "last").FirstOrDefault()?.Value;
            if (last is null) return bodies; // an empty page
            // The results come before the answer on the stream; the inbox may not have taken them in yet.
            bool IsResult(XElement e) => e.Element(Ns.Mam + "result") is { } r && (string?)r.Attribute("queryid") == queryId;
            await reader.WaitAsync(e => IsResult(e) && (string?)e.Element(Ns.Mam + "result")!.Attribute("id") == last, Delivery);
            bodies.AddRange(reader.All(IsResult).Select(e => e.Descendants(Ns.Client + "body").FirstOrDefault()?.Value).OfType<string>());
            if ((string?)fin.Element(Ns.Mam + "fin")?.Attribute("complete") == "true") return bodies;
            after = last;
        }
    }
}
