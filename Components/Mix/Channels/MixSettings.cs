using Microsoft.Extensions.Configuration;
using XmppGroupChat.Hosting;

namespace XmppGroupChat.Mix.Channels;

/// <summary>
/// Service policy: who may create channels (Mix:Creators, a list of user domains, or "*" for
/// anyone; by default the server's own domain), the MUC face to advertise (Muc:Domain), and
/// whether messages for participants that joined through their server carry ejabberd 23.01's
/// relay marker (Mix:PamRelayMarker, default true; see <see cref="PamRelayMarker"/>).
/// </summary>
public sealed record MixSettings(IReadOnlyList<string> Creators, string? MucDomain, string MixDomain = "", bool PamRelayMarker = true)
{
    public static MixSettings Read(IConfiguration config, string serviceDomain, string? mucDomain)
    {
        var creators = config.ReadList("Mix:Creators");
        if (creators.Count == 0)
        {
            var dot = serviceDomain.IndexOf('.');
            creators.Add(dot > 0 ? serviceDomain[(dot + 1)..] : serviceDomain);
        }
        var marker = config["Mix:PamRelayMarker"] is not { Length: > 0 } v || !bool.TryParse(v, out var b) || b;
        return new MixSettings(creators, mucDomain, serviceDomain, marker);
    }

    public bool MayCreate(Xmpp.Jid user) => Creators.Contains("*") ||
        Creators.Any(d => string.Equals(d, user.Domain, StringComparison.OrdinalIgnoreCase));
}
