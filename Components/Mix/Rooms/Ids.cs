using System.Security.Cryptography;

namespace XmppGroupChat.Mix.Rooms;

/// <summary>Random identifiers: stable participant ids and ad-hoc channel names.</summary>
public static class Ids
{
    // Lower-case base32: valid in a JID localpart and resource, and free of '#', '/' and '@',
    // which would break the participant-id#channel presence addressing.
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>60 random bits: never reused in practice; the registry also checks.</summary>
    public static string NewParticipantId() => Random(12);

    public static string NewChannelName() => Random(10);

    private static string Random(int length)
    {
        Span<byte> bytes = stackalloc byte[length];
        RandomNumberGenerator.Fill(bytes);
        return string.Create(length, bytes.ToArray(), static (span, b) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = Alphabet[b[i] & 31];
        });
    }
}
