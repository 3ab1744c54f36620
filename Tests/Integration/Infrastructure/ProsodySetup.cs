namespace XmppGroupChat.Tests.Integration.Infrastructure;

/// <summary>
/// What one Prosody instance changes in the samples/ configuration. The default is the samples
/// as an admin would use them on one machine (127.0.0.1, "localhost", no s2s). The changes are
/// the ones an admin makes by hand: another address, another domain, more modules, more options.
/// </summary>
public sealed record ProsodySetup
{
    /// <summary>The loopback address for c2s, s2s and the component listener.</summary>
    public string Address { get; init; } = "127.0.0.1";

    /// <summary>The user domain; the component domains in components.cfg.lua follow it.</summary>
    public string VirtualHost { get; init; } = XmppServer.Domain;

    /// <summary>The s2s port; a free one when null (peers find a server on 5269 by default).</summary>
    public int? S2sPort { get; init; }

    /// <summary>Modules to load beyond the sample's: added to modules_enabled, taken out of modules_disabled.</summary>
    public IReadOnlyList<string> Modules { get; init; } = [];

    /// <summary>Options for the global section, written before the first VirtualHost; the samples' placeholders (@DIR@…) are filled.</summary>
    public IReadOnlyList<string> GlobalLines { get; init; } = [];

    /// <summary>Lua config appended at the end: more Component or VirtualHost sections (placeholders filled).</summary>
    public string Sections { get; init; } = "";

    /// <summary>True when the instance talks to other servers, so its s2s listener must be up before it counts as started.</summary>
    public bool ListensForServers => Modules.Contains("s2s");
}
