using System.Xml.Linq;
using XmppGroupChat.Component;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>
/// Every stanza to an address with a localpart on the mirror's domain: the address must be a
/// proxy room (or a JID in one), and the sender decides the direction: the master room (its bare
/// JID or an occupant of it) speaks to local sessions; anyone else is a local user speaking to
/// the room.
/// </summary>
public sealed class Inbound(MirrorService mirror, Joining joining, Leaving leaving, Occupants occupants, Messages messages, IqRelay iqs)
{
    public void Register(StanzaRouter router)
    {
        router.OnPresence(OnPresenceAsync, ToProxyAddress);
        router.OnMessage(OnMessageAsync, ToProxyAddress);
        router.OnIq(OnIqAsync, ToProxyAddress);
    }

    private static bool ToProxyAddress(XElement stanza) => stanza.GetTo()!.Local != null;

    private async ValueTask OnPresenceAsync(XElement presence, CancellationToken ct)
    {
        if (Resolve(presence) is not { } address) return;
        var (from, to, master) = address;
        if (from.BareEquals(master))
        {
            await occupants.OnMasterPresenceAsync(presence, master, to, ct);
            return;
        }
        switch (presence.GetStanzaType())
        {
            case null:
                await joining.OnAvailableAsync(presence, from, master, to, ct);
                break;
            case StanzaType.Unavailable:
                await leaving.OnUnavailableAsync(presence, from, master, ct);
                break;
            case StanzaType.Error:
                await leaving.OnClientErrorAsync(presence, from, master, ct);
                break;
            // Subscriptions and probes are not for rooms (RFC 6121 lets a service ignore them).
        }
    }

    private async ValueTask OnMessageAsync(XElement message, CancellationToken ct)
    {
        if (Resolve(message) is not { } address) return;
        var (from, to, master) = address;
        if (from.BareEquals(master)) await messages.OnMasterMessageAsync(message, master, to, ct);
        else if (message.IsErrorType()) await leaving.OnClientErrorAsync(message, from, master, ct);
        else await messages.OnUserMessageAsync(message, from, master, to, ct);
    }

    private async ValueTask OnIqAsync(XElement iq, CancellationToken ct)
    {
        if (Resolve(iq) is not { } address) return;
        var (from, to, master) = address;
        if (from.BareEquals(master)) await iqs.OnMasterIqAsync(iq, to, master, ct);
        else await iqs.OnUserIqAsync(iq, from, master, to, ct);
    }

    /// <summary>The sender, the addressee and the master room; throws the addressing error, or returns null for a stanza that must not be answered.</summary>
    private (Jid From, Jid To, Jid Master)? Resolve(XElement stanza)
    {
        var to = stanza.GetTo()!;
        var error = ProxyAddress.TryReadMaster(to, mirror.Domain, out var master);
        if (error is null) return (stanza.GetFrom()!, to, master);
        if (stanza.IsErrorType() || stanza.IsResponse())
        {
            MirrorLog.Dropped(mirror.Logger, stanza.Name.LocalName, (string?)stanza.Attribute("from"), to.ToString(), "not a proxy room address");
            return null;
        }
        throw new StanzaErrorException(error);
    }
}
