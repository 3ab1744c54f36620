using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using XmppGroupChat.Tests.Integration.Infrastructure;

namespace XmppGroupChat.Tests.Integration;

/// <summary>
/// What one room costs on the s2s link between the master's server (alpha) and the users' server
/// (beta), measured by <see cref="FmucFederatedTests"/> for one master, one way in and one number of users.
/// </summary>
/// <param name="Master">"room host" (our MUC face, FMUC-aware) or "Prosody mod_muc" (a plain MUC)</param>
/// <param name="ThroughMirror">the beta users joined through mirror.beta.test, or the room directly</param>
/// <param name="Users">how many users on beta are in the room</param>
/// <param name="RoomMessages">messages sent to the room by a user on alpha in the measured window</param>
/// <param name="MessagesDown">&lt;message/&gt; stanzas that crossed alpha→beta in that window</param>
/// <param name="BytesDown">every byte that crossed alpha→beta in that window</param>
/// <param name="MessagesUp">&lt;message/&gt; stanzas that crossed beta→alpha for one message a beta user sent</param>
/// <param name="EchoesDown">&lt;message/&gt; stanzas that crossed alpha→beta for that same message</param>
public sealed record LinkCost(string Master, bool ThroughMirror, int Users, int RoomMessages, int MessagesDown, long BytesDown,
    int MessagesUp, int EchoesDown)
{
    public double MessagesPerRoomMessage => (double)MessagesDown / RoomMessages;
    public double BytesPerRoomMessage => (double)BytesDown / RoomMessages;
}

/// <summary>
/// The measured <see cref="LinkCost"/>s as a Markdown table, written to the test output and, when
/// the environment variable FMUC_TABLE names a file (relative to the repository), into that file:
/// between the lines <see cref="Start"/> and <see cref="End"/> if it has them (docs/fmuc.md does),
/// else as the whole file.
/// </summary>
public static class FmucLinkCostTable
{
    public const string Start = "<!-- fmuc-table:start -->";
    public const string End = "<!-- fmuc-table:end -->";
    public const string Variable = "FMUC_TABLE";

    /// <summary>The rows as given, one line each, under a line that says when and where they were measured.</summary>
    public static string Render(IEnumerable<LinkCost> rows)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.MachineName} " +
                        $"({Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, Prosody {ProsodyVersion()}), " +
                        "two Prosody servers on loopback with s2s (dialback, no TLS) through the counting proxies.");
        text.AppendLine();
        text.AppendLine("| master | users on beta | beta users join | `<message>` alpha→beta per room message | bytes alpha→beta per room message | `<message>` beta→alpha per beta user's message | `<message>` alpha→beta for it |");
        text.AppendLine("|---|---:|---|---:|---:|---:|---:|");
        foreach (var r in rows)
            text.AppendLine(string.Create(inv,
                $"| {r.Master} | {r.Users} | {(r.ThroughMirror ? "through the mirror" : "directly")} | {r.MessagesPerRoomMessage:0.##} | {r.BytesPerRoomMessage:0} | {r.MessagesUp} | {r.EchoesDown} |"));
        return text.ToString();
    }

    /// <summary>Writes the table where FMUC_TABLE says; returns the full path written, or null when it is not set.</summary>
    public static string? WriteIfAsked(string table)
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } target) return null;
        var path = Path.GetFullPath(target, RepoPaths.Root);
        var text = File.Exists(path) ? File.ReadAllText(path) : "";
        var start = text.IndexOf(Start, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        text = start >= 0 && end > start
            ? text[..(start + Start.Length)] + "\n" + table + text[end..]
            : table;
        File.WriteAllText(path, text);
        return path;
    }

    private static string ProsodyVersion()
    {
        // Debian's package version, as `dpkg -s prosody` shows it; unknown elsewhere.
        const string status = "/var/lib/dpkg/status";
        if (!File.Exists(status)) return "(unknown version)";
        var inProsody = false;
        foreach (var line in File.ReadLines(status))
        {
            if (line.StartsWith("Package: ", StringComparison.Ordinal)) inProsody = line == "Package: prosody";
            else if (inProsody && line.StartsWith("Version: ", StringComparison.Ordinal)) return line["Version: ".Length..];
        }
        return "(unknown version)";
    }
}
