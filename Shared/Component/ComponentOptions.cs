using System.Text;

namespace XmppGroupChat.Component;

/// <summary>
/// Everything one XEP-0114 link needs. Immutable: a link is built from one snapshot of configuration.
/// </summary>
public sealed record ComponentOptions
{
    /// <summary>Server host name or address to connect to.</summary>
    public string Host { get; init; } = "127.0.0.1";
    /// <summary>The server's component port (Prosody 5347 by default).</summary>
    public int Port { get; init; } = 5347;
    /// <summary>The component domain, as configured on the server.</summary>
    public string Domain { get; init; } = "";
    /// <summary>The shared secret. Never logged: see <see cref="PrintMembers"/>.</summary>
    public string Secret { get; init; } = "";

    /// <summary>What the link takes from the server: per-stanza limits (a stanza error) and stream limits (a stream error).</summary>
    public StanzaLimits Limits { get; init; } = new();
    /// <summary>Outbound queue bound: producers wait when it is full, nothing is dropped.</summary>
    public int SendQueueCapacity { get; init; } = 8192;
    /// <summary>Inbound queue bound between the read loop and the dispatcher.</summary>
    public int ReceiveQueueCapacity { get; init; } = 4096;
    /// <summary>Idle time after which a single space is sent so NATs and the server keep the socket.</summary>
    public TimeSpan KeepaliveInterval { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Default wait for an IQ response.</summary>
    public TimeSpan IqTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Time allowed for connect plus handshake.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>First reconnect delay; grows exponentially with jitter up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectBaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>How long shutdown waits for the queue to drain and the server to close its side.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws <see cref="ComponentConfigurationException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host)) throw new ComponentConfigurationException("Component:Host is not set.");
        if (Port is <= 0 or > 65535) throw new ComponentConfigurationException($"Component:Port {Port} is not a TCP port.");
        if (!Xmpp.Jid.TryParse(Domain, out var d) || !d.IsDomain)
            throw new ComponentConfigurationException($"Component:Domain '{Domain}' is not a domain name.");
        if (string.IsNullOrEmpty(Secret)) throw new ComponentConfigurationException($"No secret is set for {Domain}: set Component:Secret (environment variable Component__Secret) to the secret in the server's component entry.");
        if (Limits.MaxStanzaBytes < 1024) throw new ComponentConfigurationException("MaxStanzaBytes must be at least 1024.");
        if (Limits.MaxStanzaDepth < 4) throw new ComponentConfigurationException("MaxStanzaDepth must be at least 4.");
        if (Limits.MaxAttributesPerElement < 16) throw new ComponentConfigurationException("MaxAttributesPerElement must be at least 16.");
        if (Limits.MaxStreamStanzaBytes < Limits.MaxStanzaBytes)
            throw new ComponentConfigurationException("MaxStreamStanzaBytes must be at least MaxStanzaBytes.");
        if (Limits.MaxStreamStanzaDepth < Limits.MaxStanzaDepth)
            throw new ComponentConfigurationException("MaxStreamStanzaDepth must be at least MaxStanzaDepth.");
    }

    // Records print every property; the secret must never reach a log.
    private bool PrintMembers(StringBuilder b)
    {
        b.Append($"Host = {Host}, Port = {Port}, Domain = {Domain}, Secret = ***");
        return true;
    }
}

/// <summary>A setting is wrong (bad secret, unknown host name): retrying cannot help, the process should exit.</summary>
public sealed class ComponentConfigurationException(string message) : Exception(message);
