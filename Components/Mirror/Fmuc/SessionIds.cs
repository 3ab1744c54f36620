using System.Security.Cryptography;
using System.Text;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>
/// The resource of a session's proxy JID (room\40muc.alpha.test@mirror.beta.test/&lt;sid&gt;): 12
/// lower-case base32 characters of a keyed hash of the local full JID and the room. Opaque, so the
/// master learns nothing from it; distinct per local session, so a plain MUC sees one occupant per
/// local client; stable across restarts (the key is kept in Storage:Path), so a session keeps its
/// proxy JID.
/// </summary>
public sealed class SessionIds(byte[] key)
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private const int Length = 12;

    public string For(Jid localSession, Jid masterRoom)
    {
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{localSession}\n{masterRoom.Bare}"));
        var sid = new char[Length];
        // 5 bits per character, read from the front of the hash.
        for (var i = 0; i < Length; i++)
        {
            var bit = i * 5;
            var twoBytes = (mac[bit / 8] << 8) | mac[bit / 8 + 1];
            sid[i] = Alphabet[(twoBytes >> (11 - bit % 8)) & 31];
        }
        return new string(sid);
    }

    /// <summary>The key in <paramref name="path"/>, created (readable by its owner only) the first time.</summary>
    public static SessionIds LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            using (var f = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                f.Write(RandomNumberGenerator.GetBytes(32));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        var key = File.ReadAllBytes(path);
        if (key.Length < 32) throw new InvalidDataException($"{path} is not a key (too short)");
        return new SessionIds(key);
    }
}
