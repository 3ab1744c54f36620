using System.Text.Json;

namespace XmppGroupChat.Archive;

/// <summary>The JSON form every engine stores a room's configuration in (field var → values).</summary>
internal static class RoomJson
{
    public static string Config(IReadOnlyDictionary<string, IReadOnlyList<string>> config)
    {
        var plain = new Dictionary<string, string[]>(config.Count, StringComparer.Ordinal);
        foreach (var (var, values) in config)
            plain.Add(var, values.ToArray());
        return JsonSerializer.Serialize(plain, ArchiveJson.Default.DictionaryStringStringArray);
    }

    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ParseConfig(string json)
    {
        var plain = JsonSerializer.Deserialize(json, ArchiveJson.Default.DictionaryStringStringArray) ?? [];
        var config = new Dictionary<string, IReadOnlyList<string>>(plain.Count, StringComparer.Ordinal);
        foreach (var (var, values) in plain)
            config.Add(var, values);
        return config;
    }

    public static string Affiliations(IReadOnlyDictionary<string, string> affiliations) =>
        JsonSerializer.Serialize(new Dictionary<string, string>(affiliations, StringComparer.Ordinal), ArchiveJson.Default.DictionaryStringString);

    public static IReadOnlyDictionary<string, string> ParseAffiliations(string json) =>
        JsonSerializer.Deserialize(json, ArchiveJson.Default.DictionaryStringString) ?? [];
}
