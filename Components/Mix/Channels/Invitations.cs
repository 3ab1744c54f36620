using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Channels;

/// <summary>
/// XEP-0407 invitation tokens. A token is its expiry plus an HMAC over (channel, inviter,
/// invitee, expiry) under a key kept beside the archive, so the channel can check an invitation
/// without storing it, and tokens survive a restart. A token admits its invitee only while the
/// inviter may still invite.
/// </summary>
public sealed class Invitations(byte[] key) : IInvitationCheck
{
    public static readonly XNamespace Misc = "urn:xmpp:mix:misc:0";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    /// <summary>Loads the key from <paramref name="path"/>, creating it (owner-only) the first time.</summary>
    public static Invitations LoadOrCreate(string path) => new(LoadOrCreateKey(path));

    /// <summary>A 32-byte secret kept in a file only its owner may read, created the first time.</summary>
    public static byte[] LoadOrCreateKey(string path)
    {
        if (!File.Exists(path))
        {
            var fresh = RandomNumberGenerator.GetBytes(32);
            using (var f = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                f.Write(fresh);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        var key = File.ReadAllBytes(path);
        if (key.Length < 32) throw new InvalidDataException($"{path} is not a key (too short)");
        return key;
    }

    /// <summary>Whether <paramref name="inviter"/> may invite to this room: admins always, participants where allowed.</summary>
    public static bool MayInvite(Room room, Jid inviter) =>
        room.IsAdmin(inviter) || (room.FindParticipant(inviter) != null && Features.InvitationRights.ByParticipants(room.Config));

    public string Issue(Room room, Jid inviter, Jid invitee, DateTimeOffset now)
    {
        var expires = now.Add(Lifetime).ToUnixTimeSeconds();
        var token = new byte[8 + 16];
        BitConverter.TryWriteBytes(token.AsSpan(0, 8), expires);
        Mac(room.Jid, inviter.Bare, invitee.Bare, expires).AsSpan(0, 16).CopyTo(token.AsSpan(8));
        return Convert.ToBase64String(token).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public bool IsValid(Room room, Jid inviter, Jid invitee, string token, DateTimeOffset now)
    {
        byte[] bytes;
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            bytes = Convert.FromBase64String(b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '='));
        }
        catch (FormatException)
        {
            return false;
        }
        if (bytes.Length != 24) return false;
        var expires = BitConverter.ToInt64(bytes, 0);
        if (now.ToUnixTimeSeconds() > expires) return false;
        return CryptographicOperations.FixedTimeEquals(bytes.AsSpan(8), Mac(room.Jid, inviter.Bare, invitee.Bare, expires).AsSpan(0, 16));
    }

    public bool Admits(Room room, Jid joiner, XElement join)
    {
        var invitation = join.Descendants(Misc + "invitation").FirstOrDefault();
        if (invitation is null) return false;
        if (!Jid.TryParse(invitation.Element(Misc + "inviter")?.Value, out var inviter) ||
            !Jid.TryParse(invitation.Element(Misc + "invitee")?.Value, out var invitee) ||
            !Jid.TryParse(invitation.Element(Misc + "channel")?.Value, out var channel))
            return false;
        var token = invitation.Element(Misc + "token")?.Value;
        return token != null && invitee.BareEquals(joiner) && channel.BareEquals(room.Jid)
               && MayInvite(room, inviter) && IsValid(room, inviter, invitee, token, DateTimeOffset.UtcNow);
    }

    private byte[] Mac(Jid channel, Jid inviter, Jid invitee, long expires) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{channel.Bare}\n{inviter.Bare}\n{invitee.Bare}\n{expires}"));
}
