using System.Xml.Linq;
using XmppGroupChat.Archive;
using XmppGroupChat.Component;
using XmppGroupChat.Mix.Delivery;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Mix;

/// <summary>
/// Messages to a channel (XEP-0369 §messages): a participant's groupchat message is archived,
/// then reflected to every subscriber of the messages node, sender included. Also learns which
/// full JIDs are online from directed presence, and forgets one whose delivery bounces.
/// </summary>
public sealed class ChannelMessages(MixService mix)
{
    public void Register(StanzaRouter router)
    {
        router.OnMessage(OnBounceAsync, m => m.IsErrorType());
        router.OnMessage(OnMessageAsync, m => m.GetTo()!.Local != null);
    }

    private async ValueTask OnMessageAsync(XElement message, CancellationToken ct)
    {
        var room = mix.RequireRoom(message);
        var from = message.GetFrom()!;
        if (message.GetTo()!.Resource != null || message.GetStanzaType() != "groupchat")
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ServiceUnavailable,
                "this channel takes groupchat messages to its bare address; private messages are not supported"));
        var sender = MixService.RequireParticipant(room, from);
        lock (room.Sync)
            if (!from.IsBare) sender.OnlineResources.Add(from);
        await PublishAsync(room, sender, message.Elements(), message, waitForArchive: false, ct);
    }

    /// <summary>Archives (if it has a body) and reflects a participant's message; shared with the seed's publish.</summary>
    public Task<ArchivedMessage> PublishAsync(Room room, Participant sender, IEnumerable<XElement> content,
        XElement original, bool waitForArchive, CancellationToken ct)
    {
        MessageSender who;
        lock (room.Sync) who = MessageSender.Of(sender);
        return PublishAsync(room, who, content, original, waitForArchive, ct);
    }

    /// <summary>Archives (if it has a body) and reflects a message from any face's sender.</summary>
    public async Task<ArchivedMessage> PublishAsync(Room room, MessageSender sender, IEnumerable<XElement> content,
        XElement original, bool waitForArchive, CancellationToken ct)
    {
        XElement stored;
        string? shownNick;
        lock (room.Sync)
        {
            stored = Reflection.ForArchive(room, sender, content, original.GetKind() == StanzaKind.Message ? original.GetId() : null);
            // The MUC face names the sender by the nick they hold there now (a participant may sit in the
            // room under another nick); the archive keeps it, so history shows the nick of that moment.
            shownNick = room.FindOccupantByJid(sender.BareJid)?.Nick ?? sender.Nick;
        }
        ValueTask<ArchivedMessage> append = stored.Element(Ns.Component + "body") != null
            ? mix.Archive.AppendAsync(room.Jid.ToString(), new MessageDraft(sender.BareJid.ToString(), shownNick, stored), ct)
            // Chat states and the like are reflected but not archived (XEP-0313 stores messages with a body).
            : ValueTask.FromResult(new ArchivedMessage(Stanza.NewId(), DateTimeOffset.UtcNow, sender.BareJid.ToString(), shownNick, stored));

        Broadcaster.Deliveries deliveries = archived => Deliveries(room, archived);
        if (waitForArchive)
            return await mix.Broadcaster.EnqueueAndWaitAsync(append, mix.Sender, deliveries, original, ct);
        await mix.Broadcaster.EnqueueAsync(append, mix.Sender, deliveries, original, ct);
        return null!;
    }

    private IEnumerable<DeliveryGroup> Deliveries(Room room, ArchivedMessage archived)
    {
        // core:0 and core:1 participants get the same reflection; the seed's get pubsub events.
        var groups = MixService.SubscriberTargets(room, MixNodes.Messages,
            p => (p.Dialect == Ns.Mix0 ? Ns.Mix0 : Ns.MixCore, MixService.ShowsJidsTo(room, p.BareJid), p.ViaServer));
        foreach (var ((dialect, seesJid, viaServer), targets) in groups)
        {
            var template = dialect == Ns.Mix0 ? Reflection.ForMix0(archived, room, seesJid) : Reflection.ForCore(archived, room, seesJid);
            // ejabberd 23.01's mod_mix_pam hands a groupchat for a bare JID to the user's clients only
            // when it has a <mix/> child in the stanza's own namespace (its check compares against an
            // element with no namespace); with the XEP's namespaced one alone it bounces the copy as
            // service-unavailable. The marker is empty and ignored by clients and by other servers.
            if (viaServer && mix.Settings.PamRelayMarker && dialect != Ns.Mix0) template.Add(new XElement(Ns.Component + "mix"));
            yield return new DeliveryGroup(template, targets);
        }
        // The same conversation on the MUC face: its occupants get it from room@muc/nick.
        if (mix.OtherFaces?.Invoke(room, archived) is { } elsewhere)
            foreach (var d in elsewhere) yield return d;
    }

    // A delivery to a full JID bounced: that resource is gone. Never answered (it is an error).
    private ValueTask OnBounceAsync(XElement error, CancellationToken ct)
    {
        var from = error.GetFrom()!;
        var to = error.GetTo()!;
        if (from.IsBare || to.Local is null) return ValueTask.CompletedTask;
        var room = mix.Rooms.Find(to.Bare);
        if (room is null) return ValueTask.CompletedTask;
        lock (room.Sync) room.FindParticipant(from.Bare)?.OnlineResources.Remove(from);
        return ValueTask.CompletedTask;
    }
}
