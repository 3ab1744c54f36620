using System.Xml.Linq;
using XmppGroupChat.Archive;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>
/// What the mirror keeps across restarts, in its archive file (<see cref="IRelayRoomStore"/>): per
/// proxy room (keyed by the master room JID) whether the master's service spoke FMUC when last
/// known, and per joined session (keyed by the local full JID) its nick, proxy sid, role,
/// anonymity and the presence it last sent upstream. Local history is not kept.
/// </summary>
public sealed class MirrorStore(IRelayRoomStore relay)
{
    private const string SessionKind = "session";

    /// <summary>A stored room: its master, what its service spoke (null: not known), and its sessions.</summary>
    public sealed record StoredRoom(Jid Master, bool? Fmuc, IReadOnlyList<XElement> Sessions);

    public Task SaveRoomAsync(ProxyRoom room, bool? fmuc, CancellationToken ct) =>
        relay.SaveRelayRoomAsync(room.Master.ToString(),
            new XElement(Ns.Fmuc + "room", fmuc is { } f ? new XAttribute("fmuc", f ? "true" : "false") : null), ct);

    public Task DeleteRoomAsync(ProxyRoom room, CancellationToken ct) => relay.DeleteRelayRoomAsync(room.Master.ToString(), ct);

    public Task SaveSessionAsync(ProxyRoom room, ProxySession session, CancellationToken ct) =>
        relay.SaveRelayEntryAsync(room.Master.ToString(), new RelayEntry(SessionKind, session.Local.ToString(), ToRecord(session)), ct);

    public Task DeleteSessionAsync(ProxyRoom room, ProxySession session, CancellationToken ct) =>
        relay.DeleteRelayEntryAsync(room.Master.ToString(), SessionKind, session.Local.ToString(), ct);

    public async Task<IReadOnlyList<StoredRoom>> LoadAsync(CancellationToken ct)
    {
        var rooms = new List<StoredRoom>();
        foreach (var record in await relay.LoadRelayRoomsAsync(ct))
        {
            var fmuc = (string?)record.State.Attribute("fmuc") switch { "true" => true, "false" => (bool?)false, _ => null };
            rooms.Add(new StoredRoom(Jid.Parse(record.Room), fmuc,
                record.Entries.Where(e => e.Kind == SessionKind).Select(e => e.Value).ToList()));
        }
        return rooms;
    }

    private static XElement ToRecord(ProxySession session) => new(Ns.Fmuc + "session",
        new XAttribute("local", session.Local.ToString()), new XAttribute("nick", session.Nick), new XAttribute("sid", session.Sid),
        new XAttribute("role", session.Role), new XAttribute("non-anonymous", session.NonAnonymous ? "true" : "false"),
        new XElement(Ns.Fmuc + "presence", session.Presence is { } p ? new XElement(p) : null));

    /// <summary>A stored session as a joined session of <paramref name="room"/>, due to be re-asserted upstream.</summary>
    public static ProxySession FromRecord(XElement record, ProxyRoom room)
    {
        var proxyJid = room.Proxy.WithResource((string)record.Attribute("sid")!);
        return new ProxySession(Jid.Parse((string)record.Attribute("local")!), (string)record.Attribute("nick")!, proxyJid, room.NextJoinOrder())
        {
            State = SessionState.Joined,
            Role = (string?)record.Attribute("role") ?? "none",
            NonAnonymous = (string?)record.Attribute("non-anonymous") == "true",
            Presence = record.Element(Ns.Fmuc + "presence")?.Elements().FirstOrDefault() is { } p ? new XElement(p) : null,
            Reasserting = true,
        };
    }
}
