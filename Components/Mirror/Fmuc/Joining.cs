using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>
/// A local user's available presence to a proxy room: a join goes upstream from the session's
/// proxy JID, carrying the user's muc element and &lt;fmuc from='real JID'/&gt;; a presence from a
/// joined session is a status change; a new nick is refused, since FMUC does not allow nick
/// changes through a mirror. When the room already has a session receiving its traffic, the
/// master is asked for no history and the mirror replays its own after the self-presence.
/// </summary>
public sealed class Joining(MirrorService mirror)
{
    public async ValueTask OnAvailableAsync(XElement presence, Jid user, Jid master, Jid to, CancellationToken ct)
    {
        if (user.IsBare)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "rooms are entered from a full JID"));
        if (!mirror.Settings.Serves(user))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, "this mirror serves users of " + string.Join(", ", mirror.Settings.Users)));

        var joining = presence.Element(Ns.Muc + "x") != null;
        var room = mirror.Find(master);
        var session = room?.FindByLocal(user);
        if (room != null && session is { State: not SessionState.Leaving })
        {
            if (to.Resource != null && to.Resource != session.Nick)
                throw new StanzaErrorException(new StanzaError(StanzaErrorType.Modify, StanzaErrorCondition.NotAcceptable,
                    "nick changes are not possible through a mirror; leave the room and join it again"));
            if (joining) await JoinUpstreamAsync(room, session, presence, ct); // a rejoin: the master sends everything again
            else await mirror.SendUpstreamAsync(MirrorService.Readdressed(presence, session.ProxyJid, room.Master.WithResource(session.Nick),
                MirrorService.UserPayload(presence)), ct);
            return;
        }

        if (to.Resource is null)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.JidMalformed, "enter a room as its proxy address with your nick as the resource"));
        if (!joining)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, "to enter, include <x xmlns='http://jabber.org/protocol/muc'/>"));

        room ??= mirror.GetOrAdd(master);
        if (session is null)
        {
            session = mirror.NewSession(room, user, to.Resource);
            room.Add(session);
        }
        else
        {
            // Joining again before the master confirmed the previous leave.
            session.Nick = to.Resource;
            session.JoinOrder = room.NextJoinOrder();
        }
        await JoinUpstreamAsync(room, session, presence, ct);
    }

    private async ValueTask JoinUpstreamAsync(ProxyRoom room, ProxySession session, XElement presence, CancellationToken ct)
    {
        // The room's traffic already reaches the mirror, so its history is here too.
        var historyHere = room.HasJoinedSession && mirror.Settings.HistorySize > 0;
        var muc = presence.Element(Ns.Muc + "x")!;
        session.PendingReplay = historyHere ? new HistoryReplay(muc.Element(Ns.Muc + "history")) : null;
        session.State = SessionState.Joining;

        var children = MirrorService.UserPayload(presence).Select(child =>
        {
            if (child.Name != Ns.Muc + "x" || !historyHere) return child;
            var x = new XElement(child);
            x.Elements(Ns.Muc + "history").Remove();
            x.Add(new XElement(Ns.Muc + "history", new XAttribute("maxstanzas", "0")));
            return x;
        }).Append(new XElement(Ns.Fmuc + "fmuc", new XAttribute("from", session.Local.ToString())));
        await mirror.SendUpstreamAsync(MirrorService.Readdressed(presence, session.ProxyJid, room.Master.WithResource(session.Nick), children), ct);
    }
}
