using System.Security.Cryptography;
using System.Text;

namespace XmppGroupChat.Archive;

/// <summary>
/// Index keys made of names (JIDs, nicks, relay keys). LiteDB refuses an index key of 1023 bytes or
/// more, and a refused key would fail the whole batch it is in; a JID may legally be longer (1023
/// bytes of localpart plus 1023 of domain). So a long name is keyed by its SHA-256 instead, behind a
/// U+0001 that no XMPP string starts with; documents keep the name itself in another field.
/// </summary>
internal static class LiteDbText
{
    private const int MaxPlainBytes = 512;

    public static string Key(string name) =>
        Encoding.UTF8.GetByteCount(name) <= MaxPlainBytes ? name : "\u0001" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name)));

    /// <summary>A key of several names. U+0000 cannot occur in XML, so it cannot occur in any of them either.</summary>
    public static string Key(params string[] parts) => Key(string.Join('\0', parts));
}
