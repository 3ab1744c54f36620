namespace XmppGroupChat.Tests.Integration.Infrastructure.Federation;

/// <summary>One server of a federation: "alpha" becomes alpha.test.</summary>
public sealed record FederatedServerSpec(string Name)
{
    public string Domain => $"{Name}.test";

    /// <summary>The suite's programs to start against it once every server is up.</summary>
    public IReadOnlyList<FederatedProgram> Programs { get; init; } = [];

    /// <summary>Also run Prosody's own mod_muc on conference.&lt;domain&gt; (rooms created by the first join).</summary>
    public bool ServerMuc { get; init; }

    /// <summary>More Lua config sections for this server (Component or VirtualHost entries).</summary>
    public string Sections { get; init; } = "";

    /// <summary>More domains this server hosts through Sections, so its peers route them to it.</summary>
    public IReadOnlyList<string> ExtraDomains { get; init; } = [];
}

/// <summary>A program of the suite ("mix", "mirror", "dmuc-replica") with extra command-line settings.</summary>
public sealed record FederatedProgram(string Name, params string[] Args);
