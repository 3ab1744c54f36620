using System.Xml.Linq;
using XmppGroupChat.Archive;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Muc;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Dmuc;

/// <summary>
/// Messages a replica resubmits at a netjoin (wire contract 7): from R/&lt;sid&gt;, with their origin-id
/// and &lt;x xmlns='urn:xmpp:tmp:dmuc:0'&gt;&lt;delay stamp='when the user wrote it'/&gt;&lt;/x&gt;. Each is
/// archived once per room, sender and origin-id, whatever happens on the way: one the room already
/// has is not archived or shown again, only sent back to that replica so it learns the room's id
/// for it. A new one goes into the conversation with a delay carrying the original time (everyone
/// sees when it was written; the replicas' copies carry that time too).
/// </summary>
public sealed class Resubmission(DmucPrimary primary)
{
    /// <summary>How far back in the sender's archived messages a resubmission is looked for.</summary>
    public const int LookBack = 500;

    /// <summary>A groupchat from a registered replica's session carrying the time its user wrote it.</summary>
    public bool Claims(XElement message) =>
        message.Element(Ns.Dmuc + "x")?.Element(Ns.Delay + "delay") != null
        && primary.RegistrationOf(message) is { } registration && message.GetFrom()!.Resource != null
        && registration.Address.BareEquals(message.GetFrom());

    public async ValueTask OnResubmissionAsync(XElement message, CancellationToken ct)
    {
        var muc = primary.Muc;
        var room = muc.RequireRoom(message);
        var from = message.GetFrom()!;
        var (occupant, speaker) = RoomMessages.RequireOccupant(room, from);
        var originId = (string?)message.Element(Ns.StanzaId + "origin-id")?.Attribute("id")
                       ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "a resubmitted message carries its origin-id"));
        Delay written;
        try
        {
            written = Delay.Parse(message.Element(Ns.Dmuc + "x")!.Element(Ns.Delay + "delay")!);
        }
        catch (FormatException ex)
        {
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, ex.Message));
        }

        if (await FindAsync(room, occupant.BareJid, originId, ct) is { } archived)
        {
            // The room has it: only the replica hears of it again, to learn its id.
            var copy = MucFace.ForOccupants(muc, room, archived, DmucPrimary.ReplicaSeesJids(room, from.Bare));
            copy.Add(ReplicaCopy.DmucElement(archived, copy));
            await muc.SendAsync(copy, from.Bare, ct);
            return;
        }
        // The room's executor runs one resubmission at a time, each archived before the next looks: a
        // second copy of the same one always finds the first.
        var content = message.Elements().Where(e => e.Name.Namespace != Ns.Dmuc && e.Name != Ns.Delay + "delay")
            .Append(new Delay(written.Stamp, muc.RoomJid(room).ToString()).ToElement()).ToList();
        await muc.Conversation.SpeakAsync(room, new Speech(Face.Muc, speaker, content, message, occupant), ct);
    }

    private async Task<ArchivedMessage?> FindAsync(Room room, Jid sender, string originId, CancellationToken ct)
    {
        var page = await primary.Muc.Conversation.Archive.QueryAsync(room.Jid.ToString(), new ArchiveQuery(With: sender.Bare.ToString(), Before: "", Max: LookBack), ct);
        return page.Messages.LastOrDefault(m => (string?)m.Stanza.Element(Ns.StanzaId + "origin-id")?.Attribute("id") == originId);
    }
}
