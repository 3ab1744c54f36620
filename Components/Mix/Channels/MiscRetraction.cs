using System.Xml.Linq;
using XmppGroupChat.Component.Routing;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Channels;

/// <summary>
/// XEP-0407 message retraction: a body-less message to the channel carrying
/// &lt;retract xmlns='urn:xmpp:mix:misc:0' id='archive id'/&gt;, from the message's sender or a channel
/// admin. The archived message becomes a tombstone (MAM then shows it as retracted) and the
/// retraction is reflected like any channel message, through the same queue, so it reaches each
/// subscriber after the message it retracts.
/// </summary>
public sealed class MiscRetraction(ChannelService mix)
{
    private static readonly XNamespace Misc = MiscProtocol.Namespace;

    /// <summary>Takes messages to a channel that carry a retraction, of any type but error (bounces stay with <see cref="ChannelMessages"/>).</summary>
    public void Declare(RouteTable routes)
    {
        foreach (var type in new[] { MessageType.Groupchat, MessageType.Normal, MessageType.Chat, MessageType.Headline })
            routes.Message(AddressKind.Entity, type, "MIX-MISC: retraction", OnRetractAsync, carrying: Misc + "retract");
    }

    private async ValueTask OnRetractAsync(XElement message, CancellationToken ct)
    {
        var room = mix.RequireRoom(message);
        var from = message.GetFrom()!;
        // The XEP's example has no type; a client sending to a channel uses groupchat. Both are fine.
        if (message.GetMessageType() is not (MessageType.Groupchat or MessageType.Normal))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "send a retraction as a groupchat message to the channel"));
        var retracts = message.Elements(Misc + "retract").ToList();
        if (retracts.Count != 1)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "a retraction names exactly one message"));
        if (message.Elements().Any(e => e.Name.LocalName == "body" && Ns.IsStanzaNamespace(e.Name.Namespace)))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "a retraction must not have a body"));
        var id = ((string?)retracts[0].Attribute("id"))?.Trim();
        if (string.IsNullOrEmpty(id))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "<retract/> needs the 'id' of the archived message"));

        // The retraction is reflected as a message from the retractor, so only participants may send one.
        var retractor = ChannelService.RequireParticipant(room, from);
        if (!from.IsBare) retractor.OnlineResources.Add(from);
        var isAdmin = room.IsAdmin(from);

        var archive = room.Jid.ToString();
        var original = await mix.Conversation.Archive.GetAsync(archive, id, ct)
                       ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, $"this channel has no message '{id}'"));
        var isSender = string.Equals(original.SenderBareJid, from.Bare.ToString(), StringComparison.Ordinal);
        if (!isSender && !isAdmin)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "only its sender or a channel admin may retract a message"));
        // False only if the archive was deleted meanwhile (channel destroyed).
        if (!await mix.Conversation.Archive.RetractAsync(archive, id, ct))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, $"this channel has no message '{id}'"));

        // Reflected with a clean <retract/> (only the id), alongside whatever else the client sent
        // (origin-id lets it recognise its own echo). Without a body it is not archived itself.
        var retract = retracts[0];
        var content = message.Elements().Select(e => e == retract ? new XElement(Misc + "retract", new XAttribute("id", id)) : e).ToList();
        var speaker = new Speaker(retractor.Id, retractor.Nick, retractor.BareJid);
        await mix.Conversation.SpeakAsync(room, new Speech(Face.Mix, speaker, content, message), ct);
    }
}
