using System.Collections.Concurrent;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;

namespace XmppGroupChat.Component;

/// <summary>
/// The links of one process. ejabberd routes every host of an ejabberd_service listener over
/// each connection made to it, so a stanza for one of our domains can arrive on the link of
/// another. It is handed to the link that owns its domain, and the admin is told once that each
/// domain should have its own listener (spreading one room's traffic over two connections
/// can reorder it).
/// </summary>
public sealed class LinkGroup
{
    private readonly ConcurrentDictionary<string, ComponentLink> _byDomain = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string, string), bool> _warned = new();

    public void Add(ComponentLink link) => _byDomain[link.Domain.Domain] = link;

    /// <summary>
    /// True when <paramref name="stanza"/>, which arrived on <paramref name="arrivedOn"/>, is not for
    /// that link's domain and has been dealt with here (handed over, or logged as undeliverable).
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
        return true;
    }

    private static string DomainOf(string jid)
    {
        var slash = jid.IndexOf('/');
        var bare = slash < 0 ? jid : jid[..slash];
        var at = bare.IndexOf('@');
        return at < 0 ? bare : bare[(at + 1)..];
    }
}
