using System.Buffers.Binary;

namespace XmppGroupChat.Archive;

/// <summary>
/// How messages are keyed in LiteDB, where an index covers one value per document (an index on an
/// array indexes each element, so there are no compound indexes).
/// <para>
/// <c>_id</c> is one 64-bit number: the archive's number (<c>archives</c> collection) in the high 23
/// bits, the message's dense position in its archive in the low 40. The primary key is then ordered
/// by archive, then archive order, so a page is one range read of the primary index and needs no
/// index of its own, and a count is a subtraction of positions.
/// </para>
/// <para>
/// <c>w</c> (the 'with' index) is 16 bytes compared as unsigned bytes (LiteDB orders binaries that
/// way): archive number, sender number (<c>senders</c> collection), position, all big-endian. One
/// sender's messages in one archive are then one range, in archive order.
/// </para>
/// </summary>
internal static class LiteDbKeys
{
    public const int PositionBits = 40;
    public const long MaxPosition = (1L << PositionBits) - 1;
    public const int MaxArchiveNumber = (1 << 23) - 1;

    public static long Message(int archive, long position) => ((long)archive << PositionBits) | position;

    public static long PositionOf(long key) => key & MaxPosition;

    public static int ArchiveOf(long key) => (int)(key >> PositionBits);

    public static byte[] Sender(int archive, int sender, long position)
    {
        var key = new byte[16];
        BinaryPrimitives.WriteInt32BigEndian(key.AsSpan(0, 4), archive);
        BinaryPrimitives.WriteInt32BigEndian(key.AsSpan(4, 4), sender);
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(8, 8), position);
        return key;
    }
}
