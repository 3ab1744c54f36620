using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>
/// After a restart, each restored session's last presence goes upstream again as a plain status
/// update (no muc element). A master that still has the session broadcasts it, and that is all;
/// one that forgot it answers with an error, and <see cref="Occupants"/> then joins again for the
/// session, asking for no history and showing the user nothing of the new entry.
/// </summary>
public sealed class Reassertion(MirrorService mirror, Joining joining)
{
    /// <summary>Tells <see cref="MasterServices"/> what the restored rooms' services were last known to speak.</summary>
    public void Remember(IEnumerable<MirrorStore.StoredRoom> restored)
    {
        foreach (var room in restored)
            if (room.Fmuc is { } fmuc) joining.Services.RememberStale(room.Master.Domain, fmuc);
    }

    /// <summary>Sends every restored session's presence upstream; call once the link is up.</summary>
    public ValueTask ReassertAsync(CancellationToken ct) => mirror.ExclusiveAsync(async () =>
    {
        foreach (var room in mirror.Rooms.ToList())
        foreach (var session in room.Sessions.Where(s => s.Reasserting).OrderBy(s => s.JoinOrder).ToList())
        {
            var status = session.Presence ?? new XElement(Ns.Component + "presence");
            await mirror.SendUpstreamAsync(MirrorService.Readdressed(status, session.ProxyJid, room.Master.WithResource(session.Nick),
                status.Elements(), Stanza.NewId()), ct);
        }
    });
}
