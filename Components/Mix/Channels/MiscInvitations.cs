using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Component.Routing;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Channels;

/// <summary>
/// XEP-0407 invitations, the channel's side: issuing an invitation (inviter, invitee, channel and
/// a token from <see cref="Invitations"/>) to whoever may invite, and passing an invitee's
/// &lt;invitation-ack/&gt; sent to the channel on to the inviter. Joining with the invitation is
/// <see cref="Membership"/>'s (it asks <see cref="Invitations.Admits"/>).
/// </summary>
public sealed class MiscInvitations(ChannelService mix)
{
    private static readonly XNamespace Misc = MiscProtocol.Namespace;
    private static readonly string[] AckValues = ["Joined", "Declined", "Acknowledged"];

    public void Declare(RouteTable routes)
    {
        // The XEP's example asks with type='get'; it reads like an action though, so 'set' is taken too.
        routes.Iq(AddressKind.Entity, IqType.Get, Misc + "invite", "MIX-MISC: invitations", InviteAsync);
        routes.Iq(AddressKind.Entity, IqType.Set, Misc + "invite", "MIX-MISC: invitations", InviteAsync);
        // Of any type but error: bounces stay with ChannelMessages.
        foreach (var type in new[] { MessageType.Groupchat, MessageType.Normal, MessageType.Chat, MessageType.Headline })
            routes.Message(AddressKind.Entity, type, "MIX-MISC: invitations", OnAckAsync, carrying: Misc + "invitation-ack");
    }

    private ValueTask<XElement?> InviteAsync(XElement iq, CancellationToken ct)
    {
        var invite = iq.GetPayload()!;
        var inviter = iq.GetFrom()!.Bare;
        var room = mix.RequireRoom(iq);
        var text = invite.Element(Misc + "invitee")?.Value.Trim();
        if (string.IsNullOrEmpty(text))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "<invite/> needs an <invitee/>"));
        if (!Jid.TryParse(text, out var parsed) || parsed.Local is null)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.JidMalformed, "<invitee/> must be a user's JID"));
        var invitee = parsed.Bare;

        if (!Invitations.MayInvite(room, inviter))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden,
                room.FindParticipant(inviter) is null
                    ? "only participants and admins may invite to this channel"
                    : "only admins may invite to this channel"));
        var token = mix.Invitations.Issue(room, inviter, invitee, DateTimeOffset.UtcNow);
        return ValueTask.FromResult<XElement?>(new XElement(Misc + "invite", Invitation(inviter, invitee, room.Jid, token)));
    }

    /// <summary>
    /// An invitee tells the inviter what became of an invitation. Informational: a malformed ack is
    /// refused, but one that cannot be passed on (inviter not a participant or offline) is dropped.
    /// </summary>
    private async ValueTask OnAckAsync(XElement message, CancellationToken ct)
    {
        var room = mix.RequireRoom(message);
        var from = message.GetFrom()!;
        var ack = message.Element(Misc + "invitation-ack")!;
        var value = ack.Element(Misc + "value")?.Value.Trim();
        if (value is null || !AckValues.Contains(value, StringComparer.Ordinal))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest,
                "<invitation-ack/> needs a <value/> of Joined, Declined or Acknowledged"));
        var invitation = ack.Element(Misc + "invitation")
                         ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "<invitation-ack/> needs the <invitation/>"));
        var inviter = RequireJid(invitation, "inviter");
        var invitee = RequireJid(invitation, "invitee");
        var channel = RequireJid(invitation, "channel");
        var token = invitation.Element(Misc + "token")?.Value.Trim();
        if (string.IsNullOrEmpty(token))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "<invitation/> needs a <token/>"));
        if (!channel.BareEquals(room.Jid))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "the invitation is to another channel"));

        // Only an invitation this channel issued, acknowledged by its invitee, is passed on:
        // anything else would let anyone message the channel's participants through it.
        if (!invitee.BareEquals(from) || !mix.Invitations.IsValid(room, inviter, invitee, token, DateTimeOffset.UtcNow))
        {
            mix.Logger.LogDebug("dropped an invitation-ack to {Channel} from {From}: not the invitee of a valid invitation", room.Jid, from);
            return;
        }
        var targets = room.FindParticipant(inviter)?.DeliveryTargets.ToList() ?? [];
        if (targets.Count == 0) return;

        // Rebuilt rather than copied, so nothing but the acknowledgement itself is relayed.
        var forward = new XElement(Ns.Component + "message",
            new XAttribute("from", room.Jid.ToString()),
            new XAttribute("id", Stanza.NewId()),
            new XElement(Misc + "invitation-ack",
                new XElement(Misc + "value", value),
                Invitation(inviter.Bare, invitee.Bare, room.Jid, token)));
        await mix.SendAsync(forward, targets, ct);
    }

    private static XElement Invitation(Jid inviter, Jid invitee, Jid channel, string token) =>
        new(Misc + "invitation",
            new XElement(Misc + "inviter", inviter.ToString()),
            new XElement(Misc + "invitee", invitee.ToString()),
            new XElement(Misc + "channel", channel.ToString()),
            new XElement(Misc + "token", token));

    private static Jid RequireJid(XElement invitation, string name)
    {
        var text = invitation.Element(Misc + name)?.Value.Trim();
        if (string.IsNullOrEmpty(text))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, $"<invitation/> needs an <{name}/>"));
        return Jid.TryParse(text, out var jid)
            ? jid
            : throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.JidMalformed, $"<{name}/> is not a JID"));
    }
}
