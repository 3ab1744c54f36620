using System.Diagnostics.CodeAnalysis;

namespace XmppGroupChat.Xmpp;

/// <summary>
/// An XMPP address (RFC 7622), normalised at construction so that equality is a plain ordinal compare:
/// localpart and domainpart are lower-cased, the resourcepart keeps its case.
/// </summary>
public sealed class Jid : IEquatable<Jid>
{
    private string? _text;
    private Jid? _bare;

    // Parts are already validated and normalised by the callers.
    private Jid(string? local, string domain, string? resource, string? text = null)
    {
        Local = local;
        Domain = domain;
        Resource = resource;
        _text = text;
    }

    public string? Local { get; }

    public string Domain { get; }

    public string? Resource { get; }

    public bool IsBare => Resource is null;

    /// <summary>A bare domain such as a server or component address: no localpart and no resource.</summary>
    public bool IsDomain => Local is null && Resource is null;

    /// <summary>This address without its resource (cached, so repeated routing look-ups do not allocate).</summary>
    public Jid Bare => Resource is null ? this : _bare ??= new Jid(Local, Domain, null);

    public static Jid Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var error = TryParseCore(s, out var jid);
        if (error is not null)
            throw new JidFormatException($"Invalid JID '{Shorten(s)}': {error}.");
        return jid!;
    }

    public static bool TryParse(string? s, [NotNullWhen(true)] out Jid? jid)
    {
        if (s is null)
        {
            jid = null;
            return false;
        }
        return TryParseCore(s, out jid) is null;
    }

    /// <summary>Builds an address from its parts, validating and normalising each one like <see cref="Parse"/>.</summary>
    public static Jid Create(string? local, string domain, string? resource = null)
    {
        ArgumentNullException.ThrowIfNull(domain);
        string? normLocal = null, normDomain = null, normResource = null;
        var error = local is null ? null : JidParts.NormalizeLocal(local, out normLocal);
        error ??= JidParts.NormalizeDomain(domain, out normDomain);
        if (error is null && resource is not null)
            error = JidParts.NormalizeResource(resource, out normResource);
        if (error is not null)
            throw new JidFormatException($"Invalid JID parts (local '{Shorten(local)}', domain '{Shorten(domain)}', resource '{Shorten(resource)}'): {error}.");
        return new Jid(normLocal, normDomain!, normResource);
    }

    public Jid WithResource(string resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var error = JidParts.NormalizeResource(resource, out var normResource);
        if (error is not null)
            throw new JidFormatException($"Invalid resource '{Shorten(resource)}': {error}.");
        return new Jid(Local, Domain, normResource);
    }

    /// <summary>True when both addresses name the same account or service, whatever their resources.</summary>
    public bool BareEquals(Jid? other) =>
        other is not null && string.Equals(Local, other.Local, StringComparison.Ordinal)
                          && string.Equals(Domain, other.Domain, StringComparison.Ordinal);

    public override string ToString() => _text ??= Compose(Local, Domain, Resource);

    // Parts are normalised, so ordinal comparison gives RFC 7622 case-insensitive local/domain semantics.
    public bool Equals(Jid? other) =>
        other is not null && (ReferenceEquals(this, other)
            || (string.Equals(Domain, other.Domain, StringComparison.Ordinal)
                && string.Equals(Local, other.Local, StringComparison.Ordinal)
                && string.Equals(Resource, other.Resource, StringComparison.Ordinal)));

    public override bool Equals(object? obj) => obj is Jid other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Local, Domain, Resource);

    public static bool operator ==(Jid? left, Jid? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(Jid? left, Jid? right) => !(left == right);

    private static string? TryParseCore(string s, out Jid? jid)
    {
        jid = null;
        if (s.Length == 0)
            return "the address is empty";

        // Resource first: it may itself contain '@' and '/'.
        int slash = s.IndexOf('/');
        int headEnd = slash < 0 ? s.Length : slash;
        int at = s.AsSpan(0, headEnd).IndexOf('@');

        string? local = null, resource = null;
        string? error;
        if (at >= 0)
        {
            if (at == 0)
                return "the localpart before '@' is empty";
            error = JidParts.NormalizeLocal(s.AsSpan(0, at), out local);
            if (error is not null)
                return error;
        }

        var domainSpan = s.AsSpan(at + 1, headEnd - at - 1);
        error = JidParts.NormalizeDomain(domainSpan, out var domain);
        if (error is not null)
            return error;

        if (slash >= 0)
        {
            if (slash == s.Length - 1)
                return "the resourcepart after '/' is empty";
            error = JidParts.NormalizeResource(s.AsSpan(slash + 1), out resource);
            if (error is not null)
                return error;
        }

        // Reuse the input as the cached text when normalisation changed nothing (the common case).
        bool unchanged = (local is null || s.AsSpan(0, at).SequenceEqual(local))
                         && domainSpan.SequenceEqual(domain)
                         && (resource is null || s.AsSpan(slash + 1).SequenceEqual(resource));
        jid = new Jid(local, domain!, resource, unchanged ? s : null);
        return null;
    }

    private static string Compose(string? local, string domain, string? resource)
    {
        if (local is null && resource is null)
            return domain;
        int length = domain.Length + (local is null ? 0 : local.Length + 1) + (resource is null ? 0 : resource.Length + 1);
        return string.Create(length, (local, domain, resource), static (span, parts) =>
        {
            int pos = 0;
            if (parts.local is not null)
            {
                parts.local.AsSpan().CopyTo(span);
                pos = parts.local.Length;
                span[pos++] = '@';
            }
            parts.domain.AsSpan().CopyTo(span[pos..]);
            pos += parts.domain.Length;
            if (parts.resource is not null)
            {
                span[pos++] = '/';
                parts.resource.AsSpan().CopyTo(span[pos..]);
            }
        });
    }

    // Keeps exception messages readable when someone feeds us a megabyte of garbage.
    private static string? Shorten(string? s) => s is null || s.Length <= 80 ? s : string.Concat(s.AsSpan(0, 77), "...");
}
