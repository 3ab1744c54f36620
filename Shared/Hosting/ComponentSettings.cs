using Microsoft.Extensions.Configuration;
using XmppGroupChat.Component;

namespace XmppGroupChat.Hosting;

/// <summary>
/// Reads link options from configuration (appsettings.json, then environment such as
/// Component__Host, then the command line such as --Component:Host=). The same keys in every program.
/// </summary>
public static class ComponentSettings
{
    public const string Section = "Component";

    /// <summary>The program's main link: Component:Host, :Port, :Domain, :Secret, plus optional limits.</summary>
    public static ComponentOptions Read(IConfiguration config) => ReadLimits(config.GetSection(Section), new ComponentOptions
    {
        Host = config[$"{Section}:Host"] ?? "127.0.0.1",
        Port = ReadInt(config, $"{Section}:Port") ?? 5347,
        Domain = config[$"{Section}:Domain"] ?? "",
        Secret = config[$"{Section}:Secret"] ?? "",
    });

    /// <summary>
    /// A second domain served by the same program on the same server (the room host's MUC face):
    /// {section}:Domain, with {section}:Secret defaulting to Component:Secret, and host and port
    /// defaulting to the main link's.
    /// </summary>
    public static ComponentOptions ReadSecondary(IConfiguration config, string section, string defaultFirstLabel)
    {
        var main = Read(config);
        var domain = config[$"{section}:Domain"];
        if (string.IsNullOrEmpty(domain))
        {
            var dot = main.Domain.IndexOf('.');
            domain = dot > 0 ? defaultFirstLabel + main.Domain[dot..] : "";
        }
        return ReadLimits(config.GetSection(section), main with
        {
            Host = config[$"{section}:Host"] ?? main.Host,
            Port = ReadInt(config, $"{section}:Port") ?? main.Port,
            Domain = domain,
            Secret = config[$"{section}:Secret"] is { Length: > 0 } s ? s : main.Secret,
        });
    }

    private static ComponentOptions ReadLimits(IConfigurationSection s, ComponentOptions o) => o with
    {
        Limits = o.Limits with
        {
            MaxStanzaBytes = ReadInt(s, "MaxStanzaBytes") ?? o.Limits.MaxStanzaBytes,
            MaxStanzaDepth = ReadInt(s, "MaxStanzaDepth") ?? o.Limits.MaxStanzaDepth,
            MaxAttributesPerElement = ReadInt(s, "MaxAttributesPerElement") ?? o.Limits.MaxAttributesPerElement,
            MaxStreamStanzaBytes = ReadInt(s, "MaxStreamStanzaBytes") ?? o.Limits.MaxStreamStanzaBytes,
            MaxStreamStanzaDepth = ReadInt(s, "MaxStreamStanzaDepth") ?? o.Limits.MaxStreamStanzaDepth,
        },
        SendQueueCapacity = ReadInt(s, "SendQueueCapacity") ?? o.SendQueueCapacity,
        KeepaliveInterval = ReadSeconds(s, "KeepaliveSeconds") ?? o.KeepaliveInterval,
        IqTimeout = ReadSeconds(s, "IqTimeoutSeconds") ?? o.IqTimeout,
        ReconnectMaxDelay = ReadSeconds(s, "ReconnectMaxDelaySeconds") ?? o.ReconnectMaxDelay,
    };

    private static int? ReadInt(IConfiguration c, string key)
    {
        var v = c[key];
        if (string.IsNullOrEmpty(v)) return null;
        return int.TryParse(v, out var i) ? i
            : throw new ComponentConfigurationException($"{Path(c, key)} must be a whole number (got '{v}').");
    }

    private static TimeSpan? ReadSeconds(IConfiguration c, string key)
    {
        var v = c[key];
        if (string.IsNullOrEmpty(v)) return null;
        return double.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var d) && d > 0
            ? TimeSpan.FromSeconds(d)
            : throw new ComponentConfigurationException($"{Path(c, key)} must be a positive number of seconds (got '{v}').");
    }

    private static string Path(IConfiguration c, string key) => c is IConfigurationSection s ? $"{s.Path}:{key}" : key;
}
