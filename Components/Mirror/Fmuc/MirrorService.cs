using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Component;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>
/// What every mirror concern shares: the link, the policy, the proxy rooms with local sessions,
/// and how a session's proxy JID is made. A room exists here from its first local join to its
/// last local session's end; then the mirror forgets it and the link carries nothing for it.
/// </summary>
public sealed class MirrorService(IStanzaSender sender, MirrorSettings settings, SessionIds sessionIds, ILogger logger)
{
    private readonly Dictionary<Jid, ProxyRoom> _rooms = new();

    public IStanzaSender Sender => sender;
    public MirrorSettings Settings => settings;
    public ILogger Logger => logger;
    public Jid Domain => sender.Domain;

    public int RoomCount => _rooms.Count;

    public ProxyRoom? Find(Jid master) => _rooms.GetValueOrDefault(master);

    public ProxyRoom GetOrAdd(Jid master)
    {
        if (_rooms.TryGetValue(master, out var room)) return room;
        room = new ProxyRoom(master, ProxyAddress.Of(master, Domain), settings.FireAndForgetFor(master), settings.HistorySize);
        _rooms.Add(master, room);
        MirrorLog.RoomMirrored(logger, master.ToString(), room.Proxy.ToString(), room.FireAndForget);
        return room;
    }

    /// <summary>A new session for <paramref name="local"/> in <paramref name="room"/>, with its proxy JID.</summary>
    public ProxySession NewSession(ProxyRoom room, Jid local, string nick) =>
        new(local, nick, room.Proxy.WithResource(sessionIds.For(local, room.Master)), room.NextJoinOrder());

    /// <summary>Forgets a session, and the room with its last one.</summary>
    public void Forget(ProxyRoom room, ProxySession session)
    {
        room.Remove(session);
        if (!room.IsEmpty || !_rooms.Remove(room.Master)) return;
        MirrorLog.RoomForgotten(logger, room.Master.ToString());
    }

    /// <summary>Sends a stanza to a local user.</summary>
    public ValueTask DeliverAsync(XElement stanza, CancellationToken ct) => sender.SendAsync(stanza, ct);

    /// <summary>Sends a stanza to the master room.</summary>
    public ValueTask SendUpstreamAsync(XElement stanza, CancellationToken ct) => sender.SendAsync(stanza, ct);

    /// <summary>Child elements of a local user's stanza that travel upstream: never an FMUC element of the user's own making.</summary>
    public static IEnumerable<XElement> UserPayload(XElement stanza) =>
        stanza.Elements().Where(e => e.Name.Namespace != Ns.Fmuc);

    /// <summary>A new stanza of the same kind with the given addresses, the original's id and type, and <paramref name="children"/>.</summary>
    public static XElement Readdressed(XElement original, Jid from, Jid to, IEnumerable<XElement> children, string? id = null)
    {
        var copy = new XElement(original.Name, new XAttribute("from", from.ToString()), new XAttribute("to", to.ToString()));
        if ((id ?? original.GetId()) is { } i) copy.SetAttributeValue("id", i);
        if (original.GetStanzaType() is { } type) copy.SetAttributeValue("type", type);
        foreach (var attribute in original.Attributes().Where(a => a.Name == XNamespace.Xml + "lang")) copy.Add(new XAttribute(attribute));
        foreach (var child in children) copy.Add(new XElement(child));
        return copy;
    }
}
