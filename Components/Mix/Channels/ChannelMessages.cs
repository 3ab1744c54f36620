using System.Xml.Linq;
using XmppGroupChat.Component.Routing;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Channels;

/// <summary>
/// Messages to a channel (XEP-0369 §messages): a participant's groupchat message goes into the room's
/// conversation, which archives it and reflects it to every face. Also learns which full JIDs are
/// online from what they send, and forgets one whose delivery bounces.
/// </summary>
public sealed class ChannelMessages(ChannelService mix)
{
    public void Declare(RouteTable routes)
    {
        routes.Message(AddressKind.Entity, MessageType.Groupchat, "MIX: channel messages", OnMessageAsync);
        routes.Message(AddressKind.Entity, MessageType.Error, "MIX: bounces", OnBounceAsync);
        // A channel has no private messages: anything else to it or to a participant is refused.
        foreach (var type in new[] { MessageType.Normal, MessageType.Chat, MessageType.Headline })
        {
            routes.Message(AddressKind.Entity, type, "MIX: channel messages", RefuseAsync);
            routes.Message(AddressKind.Resource, type, "MIX: channel messages", RefuseAsync);
        }
        routes.Message(AddressKind.Resource, MessageType.Groupchat, "MIX: channel messages", RefuseAsync);
        routes.Message(AddressKind.Resource, MessageType.Error, "MIX: bounces", OnBounceAsync);
    }

    private async ValueTask OnMessageAsync(XElement message, CancellationToken ct)
    {
        var room = mix.RequireRoom(message);
        var from = message.GetFrom()!;
        var sender = ChannelService.RequireParticipant(room, from);
        if (!from.IsBare) sender.OnlineResources.Add(from);
        var speaker = new Speaker(sender.Id, sender.Nick, sender.BareJid);
        await mix.Conversation.SpeakAsync(room, new Speech(Face.Mix, speaker, message.Elements().ToList(), message), ct);
    }

    private ValueTask RefuseAsync(XElement message, CancellationToken ct)
    {
        mix.RequireRoom(message);
        throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ServiceUnavailable,
            "this channel takes groupchat messages to its bare address; private messages are not supported"));
    }

    // A delivery to a full JID bounced: that resource is gone. Never answered (it is an error).
    private ValueTask OnBounceAsync(XElement error, CancellationToken ct)
    {
        var from = error.GetFrom()!;
        if (from.IsBare || mix.Rooms.Find(error.GetTo()!) is not { } room) return ValueTask.CompletedTask;
        room.FindParticipant(from.Bare)?.OnlineResources.Remove(from);
        return ValueTask.CompletedTask;
    }
}
