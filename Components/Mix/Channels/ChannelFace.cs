using System.Xml.Linq;
using XmppGroupChat.Archive;
using XmppGroupChat.Component;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Channels;

/// <summary>
/// The MIX face's part of the conversation: every subscriber of the messages node gets each room
/// message (sender included), core participants as a groupchat message, the seed's mix:0 participants
/// as a pubsub event; MUC occupants show to subscribers of the presence node under their occupant id.
/// </summary>
public sealed class ChannelFace(IStanzaSender sender, MixSettings settings, RoomRegistry rooms) : IRoomFace
{
    public Face Kind => Face.Mix;

    public void AddMessageCopies(Room room, ArchivedMessage message, Speech speech, Deliveries deliveries)
    {
        // core:0 and core:1 participants get the same reflection; the seed's get pubsub events.
        var groups = ChannelService.SubscriberTargets(room, MixNodes.Messages,
            p => (p.Dialect == Ns.Mix0 ? Ns.Mix0 : Ns.MixCore, ChannelService.ShowsJidsTo(room, p.BareJid), p.ViaServer));
        foreach (var ((dialect, seesJid, viaServer), targets) in groups)
        {
            var template = dialect == Ns.Mix0 ? Reflection.ForMix0(message, room, seesJid) : Reflection.ForCore(message, room, seesJid);
            // ejabberd 23.01's mod_mix_pam hands a groupchat for a bare JID to the user's clients only
            // when it has a <mix/> child in the stanza's own namespace (its check compares against an
            // element with no namespace); with the XEP's namespaced one alone it bounces the copy as
            // service-unavailable. The marker is empty and ignored by clients and by other servers.
            if (viaServer && settings.PamRelayMarker && dialect != Ns.Mix0) template.Add(new XElement(Ns.Component + "mix"));
            deliveries.Add(sender, template, targets);
        }
    }

    public void AddPresenceCopies(Room room, PresenceChange change, Deliveries deliveries)
    {
        // A participant's own presence the presence handler has sent; an occupant's is shown here.
        if (change.Origin == Face.Mix) return;
        ChannelPresence.AddBroadcast(room, change.Who, change.Session, change.Payload, sender, deliveries);
    }

    public void AddDestroyNotices(Room room, Destruction destruction, Deliveries deliveries)
    {
        // XEP-0369 §destroy tells nobody: participants find the channel gone on their next request.
    }

    public async ValueTask RemoveBannedAsync(Room room, Ban ban, CancellationToken ct)
    {
        var banned = room.Participants.Where(p => room.IsBanned(p.BareJid)).ToList();
        foreach (var p in banned) room.Remove(p);
        foreach (var p in banned)
        {
            await rooms.DeleteParticipantAsync(room, p, ct);
            await ParticipantEvents.NotifyAsync(sender, room, p, retract: true, ct);
        }
    }
}
