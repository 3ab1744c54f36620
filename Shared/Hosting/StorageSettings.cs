using Microsoft.Extensions.Configuration;
using XmppGroupChat.Component;

namespace XmppGroupChat.Hosting;

/// <summary>Storage:Path, the directory where a program keeps its data (its archive file lives there).</summary>
public sealed record StorageSettings(string Path)
{
    public static StorageSettings Read(IConfiguration config, string programName)
    {
        var path = config["Storage:Path"];
        if (string.IsNullOrWhiteSpace(path)) path = System.IO.Path.Combine("data", programName);
        path = System.IO.Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(path);
            // Fail at start-up, not at the first message, when the directory is not writable.
            var probe = System.IO.Path.Combine(path, ".write-test");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ComponentConfigurationException($"Storage:Path '{path}' is not a writable directory: {ex.Message}");
        }
        return new StorageSettings(path);
    }
}
