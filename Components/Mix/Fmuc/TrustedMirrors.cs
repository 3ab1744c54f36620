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
/// A trusted mirror vouches only for users of the domains it serves: by default its server's own
/// (mirror.beta.example serves beta.example), or the list in Muc:MirrorServes:&lt;mirror domain&gt;.
/// Anything else is refused with forbidden, so one trusted mirror cannot speak for the world.
/// </summary>
public sealed class TrustedMirrors(IReadOnlyCollection<string> domains, ILogger logger,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? serves = null) : IRelayVouching
{
    private readonly HashSet<string> _domains = new(domains, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Domains => _domains;

    /// <summary>The user domains <paramref name="mirror"/> may vouch for.</summary>
    public IReadOnlyList<string> Serves(string mirror) =>
        serves?.FirstOrDefault(s => string.Equals(s.Key, mirror, StringComparison.OrdinalIgnoreCase)).Value is { Count: > 0 } listed
            ? listed
            : [mirror.IndexOf('.') is var dot and > 0 ? mirror[(dot + 1)..] : mirror];

    public RelayedSession? Recognise(XElement presence, Jid from)
    {
        if (presence.Element(Ns.Fmuc + "fmuc") is not { } fmuc) return null;
        if (!_domains.Contains(from.Domain))
        {
            RoomHostLog.UntrustedMirror(logger, from.Domain);
            return null;
        }
        if (from.Local is null || from.IsBare)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest,
                "a mirror joins from its proxy room's address with a resource per user"));
        if (!Jid.TryParse((string?)fmuc.Attribute("from"), out var real) || real.Local is null)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.JidMalformed, "the fmuc element must name the real user's JID"));
        var servedDomains = Serves(from.Domain);
        if (!servedDomains.Contains(real.Domain, StringComparer.OrdinalIgnoreCase))
        {
            RoomHostLog.MirrorOverreach(logger, from.Domain, real.Bare.ToString(), string.Join(", ", servedDomains));
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden,
                $"{from.Domain} may vouch only for users of {string.Join(", ", servedDomains)}"));
        }
        return new RelayedSession(new Relay(from.Bare, RelayKind.Mirror), real);
    }
}
