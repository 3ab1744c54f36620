using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace XmppGroupChat.Archive;

/// <summary>
/// Archive ids (stanza-id, MAM result id): 16 URL-safe characters, the base64url of 12 bytes =
/// 48 bits of Unix milliseconds followed by 48 random bits.
/// <para>
/// Time first so that consecutive ids share a prefix: inserts into the UNIQUE index on id land on
/// the same few B-tree pages instead of random ones, which keeps appends fast in a large archive.
/// The random half makes ids unguessable enough (an entity cannot name a message it has not seen
/// without ~2^47 tries) and makes a collision between two ids of the same millisecond negligible;
/// the UNIQUE constraint would refuse one anyway rather than reuse an id. The time in the id is
/// no secret: the message's stamp says the same.
/// </para>
/// </summary>
internal static class ArchiveIds
{
    public const int Length = 16;

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[12];
        Span<byte> time = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(time, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        time[2..].CopyTo(bytes);
        RandomNumberGenerator.Fill(bytes[6..]);
        return Base64Url.EncodeToString(bytes);
    }
}
