using System.Collections.Concurrent;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Component;

/// <summary>
/// The links of one process. ejabberd routes every host of an ejabberd_service listener over
/// each connection made to it, so a stanza for one of our domains can arrive on the link of
/// another. It is handed to the link that owns its domain, and the admin is told once that each
/// domain should have its own listener (spreading one room's traffic over two connections
/// can reorder it). A stanza for a domain no link of the process owns (another program's, on a
/// listener the two share) is answered with service-unavailable from that domain, so its sender
/// is told at once instead of waiting for a timeout.
/// </summary>
public sealed class LinkGroup
{
    private readonly ConcurrentDictionary<string, ComponentLink> _byDomain = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string, string), bool> _warned = new();

    public void Add(ComponentLink link) => _byDomain[link.Domain.Domain] = link;

    /// <summary>
    /// True when <paramref name="stanza"/>, which arrived on <paramref name="arrivedOn"/>, is not for
    /// that link's domain and has been dealt with here (handed over, or refused as undeliverable).
    /// </summary>
    internal async ValueTask<bool> TryRedirectAsync(ComponentLink arrivedOn, XElement stanza, ILogger logger, CancellationToken ct)
    {
        var to = (string?)stanza.Attribute("to");
        if (to is null || ComponentLink.IsInDomain(to, arrivedOn.Domain.Domain)) return false;
        var domain = DomainOf(to);
        if (_byDomain.TryGetValue(domain, out var owner))
        {
            if (_warned.TryAdd((arrivedOn.Domain.Domain, domain), true))
                Log.MisroutedDomain(logger, arrivedOn.Domain.Domain, domain);
            await owner.AcceptAsync(stanza, ct);
            return true;
        }
        if (_warned.TryAdd((arrivedOn.Domain.Domain, domain), true))
            Log.ForeignDomain(logger, arrivedOn.Domain.Domain, domain);
        if (NeedsAnswer(stanza))
        {
            var error = StanzaError.Of(StanzaErrorCondition.ServiceUnavailable,
                $"{domain} is not served on this server's component connection for {arrivedOn.Domain.Domain}: " +
                "the server routes both domains over one listener. The server admin must give each domain its own " +
                "component listener (ejabberd: one ejabberd_service entry per domain).");
            Log.Refused(logger, arrivedOn.Domain.Domain, stanza.Name.LocalName, (string?)stanza.Attribute("from"),
                error.Condition.ToXmlName(), "not served by this program");
            await arrivedOn.SendFromRoutedDomainAsync(stanza.ErrorReply(error), domain, ct);
        }
        return true;
    }

    // Requests, messages and available presence (a room join) expect an answer; errors, IQ
    // results and other presence never get one. Without a valid sender there is nobody to answer.
    private static bool NeedsAnswer(XElement stanza)
    {
        if (!Jid.TryParse((string?)stanza.Attribute("from"), out _)) return false;
        return stanza.GetKind() switch
        {
            StanzaKind.Iq => stanza.IsRequest(),
            StanzaKind.Message => !stanza.IsErrorType(),
            StanzaKind.Presence => stanza.GetStanzaType() is null,
            _ => false,
        };
    }

    private static string DomainOf(string jid)
    {
        var slash = jid.IndexOf('/');
        var bare = slash < 0 ? jid : jid[..slash];
        var at = bare.IndexOf('@');
        return at < 0 ? bare : bare[(at + 1)..];
    }
}
