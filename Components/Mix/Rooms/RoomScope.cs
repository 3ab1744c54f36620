using XmppGroupChat.Component.Routing;
using XmppGroupChat.Concurrency;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Rooms;

/// <summary>
/// Where the room host handles a stanza: one addressed to a room or an occupant runs on that room's
/// executor (by the room's name, on either face), one addressed to the service on the face's service
/// executor.
/// </summary>
public sealed class RoomScope(RoomRegistry rooms, SerialExecutor service) : IDispatchScope
{
    public void Run(Jid to, Func<ValueTask> work)
    {
        if (to.Local is { } name) rooms.Post(name, work);
        else service.Post(work);
    }
}
