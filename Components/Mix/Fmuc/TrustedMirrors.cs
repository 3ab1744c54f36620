using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Mix.Muc;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Fmuc;

/// <summary>
/// The FMUC master's side of a mirror's join (seed 002 §joinsuccess): a presence from a proxy
/// room on a mirror domain listed in Muc:TrustedMirrors, carrying
/// &lt;fmuc xmlns='http://isode.com/protocol/fmuc' from='real user'/&gt;, enters the real user, and the
/// mirror gets one copy of each broadcast for all its users. From any other domain the element is
/// ignored: the proxy's address is then an ordinary occupant, as with a plain MUC.
/// </summary>
public sealed class TrustedMirrors(IReadOnlyCollection<string> domains, ILogger logger) : IRelayVouching
{
    private readonly HashSet<string> _domains = new(domains, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Domains => _domains;

    public RelayedSession? Recognise(XElement presence, Jid from)
    {
        if (presence.Element(Ns.Fmuc + "fmuc") is not { } fmuc) return null;
        if (!_domains.Contains(from.Domain))
        {
            logger.LogDebug("FMUC join from {Mirror}, which is not a trusted mirror: treated as an ordinary occupant", from.Domain);
            return null;
        }
        if (from.Local is null || from.IsBare)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest,
                "a mirror joins from its proxy room's address with a resource per user"));
        if (!Jid.TryParse((string?)fmuc.Attribute("from"), out var real) || real.Local is null)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.JidMalformed, "the fmuc element must name the real user's JID"));
        return new RelayedSession(new Relay(from.Bare, RelayKind.Mirror), real);
    }
}
