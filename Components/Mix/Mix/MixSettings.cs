using Microsoft.Extensions.Configuration;
using XmppGroupChat.Hosting;

namespace XmppGroupChat.Mix.Mix;

/// <summary>
/// Service policy: who may create channels (Mix:Creators, a list of user domains, or "*" for
/// anyone; by default the server's own domain), and the MUC face to advertise (Muc:Domain).
/// </summary>
public sealed record MixSettings(IReadOnlyList<string> Creators, string? MucDomain, string MixDomain = "")
{
    public static MixSettings Read(IConfiguration config, string serviceDomain, string? mucDomain)
    {
        var creators = config.ReadList("Mix:Creators");
        if (creators.Count == 0)
        {
            var dot = serviceDomain.IndexOf('.');
            creators.Add(dot > 0 ? serviceDomain[(dot + 1)..] : serviceDomain);
        }
        return new MixSettings(creators, mucDomain, serviceDomain);
    }

    public bool MayCreate(Xmpp.Jid user) => Creators.Contains("*") ||
        Creators.Any(d => string.Equals(d, user.Domain, StringComparison.OrdinalIgnoreCase));
}
