using System.Xml.Linq;
using XmppGroupChat.Component.Routing;
using XmppGroupChat.Mix.Features;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Channels;

/// <summary>
/// The seed's service-wide nick registration (&lt;register xmlns='urn:xmpp:mix:0'&gt; to the
/// service): a taken nick is a conflict, and a request without a nick gets one assigned.
/// </summary>
public sealed class NickRegistration(ChannelService mix)
{
    public void Declare(RouteTable routes)
    {
        routes.Iq(AddressKind.Service, IqType.Set, Ns.Mix0 + "register", "MIX (mix:0): nick registration", RegisterAsync);
        routes.Iq(AddressKind.Entity, IqType.Set, Ns.Mix0 + "register", "MIX (mix:0): nick registration", RegisterAsync);
    }

    private async ValueTask<XElement?> RegisterAsync(XElement iq, CancellationToken ct)
    {
        var register = iq.GetPayload()!;
        var from = iq.GetFrom()!;
        if (!iq.GetTo()!.IsDomain)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, $"register with the service, {mix.Domain}"));
        var nick = NickRules.Normalize(register.Element(Ns.Mix0 + "nick")?.Value) ?? Guid.NewGuid().ToString();
        if (mix.Rooms.NickOwner(nick) is { } owner && !owner.BareEquals(from))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Conflict, $"the nick '{nick}' is registered by someone else"));
        await mix.Rooms.RegisterNickAsync(from, nick, ct);
        return new XElement(Ns.Mix0 + "register", new XElement(Ns.Mix0 + "nick", nick));
    }
}
