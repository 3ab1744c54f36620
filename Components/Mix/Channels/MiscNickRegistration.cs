using System.Xml.Linq;
using XmppGroupChat.Archive;
using XmppGroupChat.Component.Routing;
using XmppGroupChat.Mix.Features;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Channels;

/// <summary>
/// XEP-0407 nick registration (&lt;register xmlns='urn:xmpp:mix:misc:0'/&gt;). Sent to a channel, it
/// registers the nick service-wide and makes it the sender's nick in that channel (a non-participant
/// only reserves it); sent to the service, as in the XEP's example, it only registers. Without a
/// &lt;nick/&gt; the service assigns one (the XEP's MUST); an empty &lt;nick/&gt; is a bad request.
/// </summary>
public sealed class MiscNickRegistration(ChannelService mix)
{
    private static readonly XNamespace Misc = MiscProtocol.Namespace;

    public void Declare(RouteTable routes)
    {
        routes.Iq(AddressKind.Service, IqType.Set, Misc + "register", "MIX-MISC: nick registration", RegisterAsync);
        routes.Iq(AddressKind.Entity, IqType.Set, Misc + "register", "MIX-MISC: nick registration", RegisterAsync);
    }

    private async ValueTask<XElement?> RegisterAsync(XElement iq, CancellationToken ct)
    {
        var register = iq.GetPayload()!;
        var from = iq.GetFrom()!;
        var requested = register.Element(Misc + "nick");
        var nick = requested is null
            ? Guid.NewGuid().ToString() // RFC 4122 UUID, as XEP-0407 recommends
            : NickRules.Normalize(requested.Value)
              ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "<register/> needs a non-empty <nick/>"));

        if (iq.GetTo()!.IsDomain)
        {
            CheckNotRegisteredByOther(nick, from);
            await RegisterServiceWideAsync(from, nick, ct);
            return Result(nick);
        }

        var room = mix.RequireRoom(iq);
        string? previous = null;
        if (room.IsBanned(from))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "you are banned from this channel"));
        mix.Features.Nicks.RequireFree(room, nick, from);
        var participant = room.FindParticipant(from.Bare);
        if (participant != null)
        {
            // Taken now, before the write, so no one joining meanwhile can claim it in this channel.
            previous = participant.Nick;
            participant.Nick = nick;
        }

        try
        {
            await RegisterServiceWideAsync(from, nick, ct);
            if (participant != null) await mix.Rooms.SaveParticipantAsync(room, participant, ct);
        }
        catch
        {
            if (participant != null && participant.Nick == nick) participant.Nick = previous;
            throw;
        }

        if (participant != null && !string.Equals(previous, nick, StringComparison.Ordinal))
            await ParticipantEvents.NotifyAsync(mix, room, participant, retract: false, ct);
        return Result(nick);
    }

    private void CheckNotRegisteredByOther(string nick, Jid user)
    {
        if (mix.Rooms.NickOwner(nick) is { } owner && !owner.BareEquals(user))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Conflict, $"the nick '{nick}' is registered by someone else"));
    }

    private async Task RegisterServiceWideAsync(Jid user, string nick, CancellationToken ct)
    {
        try
        {
            await mix.Rooms.RegisterNickAsync(user, nick, ct);
        }
        catch (NickTakenException)
        {
            // Another JID registered it between our check and the write; the store is the arbiter.
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Conflict, $"the nick '{nick}' is registered by someone else"));
        }
    }

    private static XElement Result(string nick) => new(Misc + "register", new XElement(Misc + "nick", nick));
}
