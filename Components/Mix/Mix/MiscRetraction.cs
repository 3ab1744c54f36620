using System.Xml.Linq;
using XmppGroupChat.Component;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Mix;

/// <summary>
/// XEP-0407 message retraction: a body-less message to the channel carrying
/// &lt;retract xmlns='urn:xmpp:mix:misc:0' id='archive id'/&gt;, from the message's sender or a channel
/// admin. The archived message becomes a tombstone (MAM then shows it as retracted) and the
/// retraction is reflected like any channel message, through the same queue, so it reaches each
/// subscriber after the message it retracts.
/// </summary>
public sealed class MiscRetraction(MixService mix, ChannelMessages messages)
{
    private static readonly XNamespace Misc = MiscProtocol.Namespace;

    /// <summary>Must be registered before <see cref="ChannelMessages"/>, which takes every message to a channel.</summary>
    public void Register(StanzaRouter router) => router.OnMessage(OnRetractAsync, IsRetraction);

    // Bounces (type error) stay with ChannelMessages, which uses them to forget dead resources; a
    // message to channel/someone is a private message, which ChannelMessages refuses.
    private static bool IsRetraction(XElement message) =>
        !message.IsErrorType() && message.GetTo() is { Local: not null, Resource: null } && message.Element(Misc + "retract") != null;

    private async ValueTask OnRetractAsync(XElement message, CancellationToken ct)
    {
        var room = mix.RequireRoom(message);
        var from = message.GetFrom()!;
        // The XEP's example has no type; a client sending to a channel uses groupchat. Both are fine.
        if (message.GetStanzaType() is not (null or "groupchat" or "normal"))
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
        var retractor = MixService.RequireParticipant(room, from);
        bool isAdmin;
        lock (room.Sync)
        {
            if (!from.IsBare) retractor.OnlineResources.Add(from);
            isAdmin = room.IsAdmin(from);
        }

        var archive = room.Jid.ToString();
        var original = await mix.Archive.GetAsync(archive, id, ct)
                       ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, $"this channel has no message '{id}'"));
        var isSender = string.Equals(original.SenderBareJid, from.Bare.ToString(), StringComparison.Ordinal);
        if (!isSender && !isAdmin)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "only its sender or a channel admin may retract a message"));
        // False only if the archive was deleted meanwhile (channel destroyed).
        if (!await mix.Archive.RetractAsync(archive, id, ct))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, $"this channel has no message '{id}'"));

        // Reflected with a clean <retract/> (only the id), alongside whatever else the client sent
        // (origin-id lets it recognise its own echo). Without a body it is not archived itself.
        var retract = retracts[0];
        var content = message.Elements().Select(e => e == retract ? new XElement(Misc + "retract", new XAttribute("id", id)) : e).ToList();
        await messages.PublishAsync(room, retractor, content, message, waitForArchive: false, ct);
    }
}
