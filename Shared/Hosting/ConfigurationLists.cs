using Microsoft.Extensions.Configuration;

namespace XmppGroupChat.Hosting;

/// <summary>
/// A list setting, written either as array entries (<c>Key:0</c>, <c>Key:1</c>, as JSON arrays and
/// the environment give them) or as one comma-separated value (handy on a command line).
/// </summary>
public static class ConfigurationLists
{
    public static List<string> ReadList(this IConfiguration config, string key)
    {
        var values = config.GetSection(key).GetChildren().Select(c => c.Value).OfType<string>().Where(v => v.Length > 0).ToList();
        if (config[key] is { Length: > 0 } single)
            values.AddRange(single.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        return values;
    }
}
