using System.Security.Cryptography;
using System.Text;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>
/// Addressing (as FMUC does): the replica room R of the primary room room@muc.alpha.test is
/// room\40muc.alpha.test@dmuc-replica.beta.test (XEP-0106 escape of the primary's bare JID as the
/// localpart). Local users see occupants as R/Nick; the replica speaks to the primary for one local
/// session as R/&lt;sid&gt;, an opaque id stable per (local full JID, room).
/// </summary>
public sealed class ReplicaAddress(Jid domain, byte[] sessionKey)
{
    public Jid Domain => domain;

    public Jid RoomOf(Jid primaryRoom) => Jid.Create(JidEscaping.Escape(primaryRoom.Bare.ToString()), domain.Domain);

    /// <summary>The primary room behind a replica address, or null when the localpart is not an escaped room JID.</summary>
    public Jid? PrimaryOf(Jid replicaAddress)
    {
        if (replicaAddress.Local is not { } local || !replicaAddress.Domain.Equals(domain.Domain, StringComparison.Ordinal)) return null;
        return Jid.TryParse(JidEscaping.Unescape(local), out var room) && room is { Local: not null, IsBare: true } ? room : null;
    }

    /// <summary>12 lower-case base32 characters of a keyed hash of the local session and the room: not guessable, stable across restarts.</summary>
    public string SessionId(Jid user, Jid primaryRoom)
    {
        var mac = HMACSHA256.HashData(sessionKey, Encoding.UTF8.GetBytes($"{user}\n{primaryRoom.Bare}"));
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var sb = new StringBuilder(12);
        for (var i = 0; i < 12; i++) sb.Append(alphabet[mac[i] & 31]);
        return sb.ToString();
    }

    /// <summary>Loads the session-id key from <paramref name="path"/>, creating it on first start.</summary>
    public static byte[] LoadOrCreateKey(string path)
    {
        if (File.Exists(path))
        {
            var key = File.ReadAllBytes(path);
            if (key.Length >= 32) return key;
        }
        var fresh = RandomNumberGenerator.GetBytes(32);
        File.WriteAllBytes(path, fresh);
        return fresh;
    }
}
