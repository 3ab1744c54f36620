using System.Xml.Linq;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Mix;

/// <summary>
/// Pushes changes of the participants node (XEP-0369 §participants node) to its subscribers as
/// pubsub #event notifications: an item on join and nick change, a retract on leave. Each
/// subscriber gets its own dialect, and real JIDs only where the channel shows them to it.
/// </summary>
public static class ParticipantEvents
{
    public static async ValueTask NotifyAsync(MixService mix, Room room, Participant changed, bool retract, CancellationToken ct)
    {
        var groups = MixService.SubscriberTargets(room, MixNodes.Participants, p => (p.Dialect, MixService.ShowsJidsTo(room, p.BareJid)));
        foreach (var ((dialect, seesJid), targets) in groups)
        {
            var items = new XElement(Ns.PubSubEvent + "items", new XAttribute("node", MixNodes.Participants),
                retract
                    ? new XElement(Ns.PubSubEvent + "retract", new XAttribute("id", changed.Id))
                    : new XElement(Ns.PubSubEvent + "item", new XAttribute("id", changed.Id), Item(changed, dialect, seesJid)));
            var message = new XElement(Ns.Component + "message",
                new XAttribute("from", room.Jid.ToString()),
                new XAttribute("id", Stanza.NewId()),
                new XElement(Ns.PubSubEvent + "event", items));
            await mix.Broadcaster.EnqueueUnarchivedAsync(mix.Sender, message, targets, ct);
        }
    }

    /// <summary>A participants-node item payload in the given dialect (also used by items-get).</summary>
    public static XElement Item(Participant p, XNamespace dialect, bool withJid)
    {
        if (dialect == Ns.Mix0)
        {
            // The seed's form: attributes on <participant/>.
            var e = new XElement(Ns.Mix0 + "participant");
            if (withJid) e.Add(new XAttribute("jid", p.BareJid.ToString()));
            if (p.Nick != null) e.Add(new XAttribute("nick", p.Nick));
            return e;
        }
        var participant = new XElement(dialect + "participant");
        if (p.Nick != null) participant.Add(new XElement(dialect + "nick", p.Nick));
        if (withJid) participant.Add(new XElement(dialect + "jid", p.BareJid.ToString()));
        return participant;
    }
}
