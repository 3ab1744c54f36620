using System.Text.Json.Serialization;

namespace XmppGroupChat.Archive;

/// <summary>
/// The JSON columns (room config, affiliations, subscriptions). Source-generated so no reflection
/// runs at start-up, when every room is loaded.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(Dictionary<string, string[]>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class ArchiveJson : JsonSerializerContext;
