using System.Xml.Linq;
using XmppGroupChat.Component;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Channels;

/// <summary>
/// Pushes changes of the participants node (XEP-0369 §participants node) to its subscribers as
/// pubsub #event notifications: an item on join and nick change, a retract on leave. Each
/// subscriber gets its own dialect, and real JIDs only where the channel shows them to it.
/// </summary>
public static class ParticipantEvents
{
    public static ValueTask NotifyAsync(ChannelService mix, Room room, Participant changed, bool retract, CancellationToken ct) =>
        NotifyAsync(mix.Sender, room, changed, retract, ct);

    public static ValueTask NotifyAsync(IStanzaSender via, Room room, Participant changed, bool retract, CancellationToken ct)
    {
        var deliveries = new Deliveries();
        var groups = ChannelService.SubscriberTargets(room, MixNodes.Participants, p => (p.Dialect, ChannelService.ShowsJidsTo(room, p.BareJid)));
        foreach (var ((dialect, seesJid), targets) in groups)
            deliveries.Add(via, Event(room, retract
                ? new XElement(Ns.PubSubEvent + "retract", new XAttribute("id", changed.Id))
                : new XElement(Ns.PubSubEvent + "item", new XAttribute("id", changed.Id), Item(changed, dialect, seesJid))), targets);
        return deliveries.SendAsync(ct);
    }

    /// <summary>The leaver is gone from the node, so it hears of its own retraction at the targets it had.</summary>
    public static ValueTask NotifyLeaverAsync(ChannelService mix, Room room, Participant p, IReadOnlyList<Jid> targets, CancellationToken ct) =>
        mix.SendAsync(Event(room, new XElement(Ns.PubSubEvent + "retract", new XAttribute("id", p.Id))), targets, ct);

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

    private static XElement Event(Room room, XElement itemOrRetract) =>
        new(Ns.Component + "message",
            new XAttribute("from", room.Jid.ToString()),
            new XAttribute("id", Stanza.NewId()),
            new XElement(Ns.PubSubEvent + "event", new XElement(Ns.PubSubEvent + "items", new XAttribute("node", MixNodes.Participants), itemOrRetract)));
}
