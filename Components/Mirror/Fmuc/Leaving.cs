using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>
/// A local session's end: the user's unavailable goes upstream from the session's proxy JID and
/// the session is forgotten when the master's self-unavailable comes back (see
/// <see cref="Occupants"/>), or at once if its join was still held here; a delivery to the user's client that bounces means the client is
/// gone, so the mirror leaves the room for it at once.
/// </summary>
public sealed class Leaving(MirrorService mirror)
{
    public async ValueTask OnUnavailableAsync(XElement presence, Jid user, Jid master, CancellationToken ct)
    {
        var room = mirror.Find(master);
        if (room?.FindByLocal(user) is not { State: not SessionState.Leaving } session) return; // not in the room: nothing to do
        if (session.HeldJoin != null)
        {
            // The join never went upstream, so the master has nothing to answer: the mirror says the user is out.
            await mirror.ForgetAsync(room, session, ct);
            await mirror.DeliverAsync(SelfUnavailable(room, session), ct);
            return;
        }
        session.State = SessionState.Leaving;
        session.PendingReplay = null;
        session.Resend.Clear();
        // Gone for good, even if the mirror stops before the master confirms.
        await mirror.UnsaveAsync(room, session, ct);
        await mirror.SendUpstreamAsync(MirrorService.Readdressed(presence, session.ProxyJid, room.Master.WithResource(session.Nick),
            MirrorService.UserPayload(presence)), ct);
    }

    /// <summary>An error from a local session's client (XEP-0045 §service-error-kick): it is gone.</summary>
    public async ValueTask OnClientErrorAsync(XElement error, Jid user, Jid master, CancellationToken ct)
    {
        var room = mirror.Find(master);
        if (room?.FindByLocal(user) is not { } session) return;
        MirrorLog.ClientGone(mirror.Logger, user.ToString(), master.ToString(),
            (StanzaError.FromStanza(error)?.Condition ?? StanzaErrorCondition.UndefinedCondition).ToXmlName());
        if (session.State != SessionState.Leaving && session.HeldJoin is null)
            await mirror.SendUpstreamAsync(Stanza.Presence(session.ProxyJid, room.Master.WithResource(session.Nick), StanzaType.Unavailable), ct);
        // Nothing the master sends this session from now on could be delivered.
        await mirror.ForgetAsync(room, session, ct);
    }

    private static XElement SelfUnavailable(ProxyRoom room, ProxySession session) =>
        new(Ns.Component + "presence",
            new XAttribute("from", room.Proxy.WithResource(session.Nick).ToString()),
            new XAttribute("to", session.Local.ToString()),
            new XAttribute("type", StanzaType.Unavailable),
            new XElement(Ns.MucUser + "x",
                new XElement(Ns.MucUser + "item", new XAttribute("affiliation", "none"), new XAttribute("role", "none")),
                new XElement(Ns.MucUser + "status", new XAttribute("code", "110"))));
}
