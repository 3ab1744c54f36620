using XmppGroupChat.Archive;
using XmppGroupChat.Mix.Rooms;

namespace XmppGroupChat.Mix.Conversation;

/// <summary>
/// A face of the rooms, as the conversation sees it: given what happened in a room, the copies this
/// face sends to its own people, each rendered in its own protocol. Called on the room's executor,
/// so it reads the room's state freely; it only adds to <see cref="Deliveries"/>, and the
/// conversation sends them. No face calls another: what one face does reaches the others through here.
/// </summary>
public interface IRoomFace
{
    Face Kind { get; }

    /// <summary>A room message, archived (or, without a body, only reflected): this face's copies of it.</summary>
    void AddMessageCopies(Room room, ArchivedMessage message, Speech speech, Deliveries deliveries);

    /// <summary>Someone's presence changed on a face (this one's own changes it has shown already).</summary>
    void AddPresenceCopies(Room room, PresenceChange change, Deliveries deliveries);

    /// <summary>The room is being destroyed: the notices this face's people get, before it goes.</summary>
    void AddDestroyNotices(Room room, Destruction destruction, Deliveries deliveries);

    /// <summary>Users are now outcasts: this face takes whoever of them it shows out of the room, and says so.</summary>
    ValueTask RemoveBannedAsync(Room room, Ban ban, CancellationToken ct);
}
