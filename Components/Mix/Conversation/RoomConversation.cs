using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Archive;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Conversation;

/// <summary>
/// The one conversation of each room, face-neutral. A message from any face is checked by the room's
/// rules, archived once (and durable before anyone sees it), then every face adds its own copies and
/// they are sent, all on the room's executor, so the room's order is everyone's order. Presence changes
/// and destruction travel the same way. Faces plug in here; none calls another.
/// </summary>
public sealed class RoomConversation(
    RoomRegistry rooms,
    IMessageArchive archive,
    IReadOnlyList<IRoomFace> faces,
    IReadOnlyList<IMessageRule> rules,
    ILogger logger)
{
    public IMessageArchive Archive => archive;

    /// <summary>
    /// Takes a message into the room: rules, archive (when it is worth keeping), then every face's
    /// copies. Returns the archived message, whose id is the stanza-id everyone sees.
    /// </summary>
    public async ValueTask<ArchivedMessage> SpeakAsync(Room room, Speech speech, CancellationToken ct)
    {
        foreach (var rule in rules) rule.Check(room, speech);
        var stored = StoredMessage.Build(room, speech);
        var archived = await KeepAsync(room, speech, stored, ct);
        var deliveries = new Deliveries();
        foreach (var face in faces) face.AddMessageCopies(room, archived, speech, deliveries);
        await deliveries.SendAsync(ct);
        return archived;
    }

    /// <summary>Someone's presence changed on one face: every face shows it its own way.</summary>
    public async ValueTask PresenceChangedAsync(Room room, PresenceChange change, CancellationToken ct)
    {
        var deliveries = new Deliveries();
        foreach (var face in faces) face.AddPresenceCopies(room, change, deliveries);
        await deliveries.SendAsync(ct);
    }

    /// <summary>Affiliations changed to outcast (already saved): every face takes the banned out.</summary>
    public async ValueTask BannedAsync(Room room, Ban ban, CancellationToken ct)
    {
        foreach (var face in faces) await face.RemoveBannedAsync(room, ban, ct);
    }

    /// <summary>Tells everyone on every face the room is gone, then deletes it and its history.</summary>
    public async ValueTask DestroyAsync(Room room, Destruction destruction, CancellationToken ct)
    {
        if (room.Removed) return;
        var deliveries = new Deliveries();
        foreach (var face in faces) face.AddDestroyNotices(room, destruction, deliveries);
        room.MarkRemoved();
        await deliveries.SendAsync(ct);
        await DeleteAsync(room, ct);
    }

    /// <summary>A temporary room with nobody in it on any face goes away (XEP-0045 temporary rooms; the OLPC profile).</summary>
    public async ValueTask RemoveIfAbandonedAsync(Room room, CancellationToken ct)
    {
        if (room.Removed || Features.Persistence.IsPersistent(room.Config) || !room.IsEmpty) return;
        room.MarkRemoved();
        await DeleteAsync(room, ct);
    }

    private async ValueTask DeleteAsync(Room room, CancellationToken ct)
    {
        await rooms.DeleteAsync(room, ct);
        await archive.DeleteArchiveAsync(room.Jid.ToString(), ct);
    }

    private async ValueTask<ArchivedMessage> KeepAsync(Room room, Speech speech, XElement stored, CancellationToken ct)
    {
        var who = speech.Speaker;
        // Chat states and the like are reflected but not archived (XEP-0313 keeps messages with a body).
        if (stored.Element(Ns.Component + "body") is null)
            return new ArchivedMessage(Stanza.NewId(), DateTimeOffset.UtcNow, who.BareJid.ToString(), who.Nick, stored);
        try
        {
            return await archive.AppendAsync(room.Jid.ToString(), new MessageDraft(who.BareJid.ToString(), who.Nick, stored), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            RoomHostLog.ArchivingFailed(logger, ex, (string?)speech.Original.Attribute("from"));
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.InternalServerError,
                "the message could not be archived and was not delivered; please send it again"));
        }
    }
}
