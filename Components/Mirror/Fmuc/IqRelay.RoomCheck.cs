using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>
/// The room check: a master that restarted and forgot the mirror's sessions sends the mirror
/// nothing more for the room, and nobody notices until a local user speaks. So every
/// Mirror:RoomCheckSeconds the mirror self-pings (XEP-0410) each room it has joined users in,
/// from its oldest joined session's proxy JID to that session's nick: one IQ per room, whatever
/// the number of users. An answer that says the session is not in the room means the master
/// lost them all, and every joined session of the room joins again silently (<see cref="Recovery"/>).
/// </summary>
public sealed partial class IqRelay
{
    private ITimer? _checkTimer;

    /// <summary>Arms the first check (nothing with Mirror:RoomCheckSeconds = 0).</summary>
    public void StartRoomChecks()
    {
        if (mirror.Settings.RoomCheckSeconds > 0) ArmCheck();
    }

    // One-shot and re-armed after each round, so a slow round never overlaps the next.
    private void ArmCheck() =>
        _checkTimer = mirror.Time.CreateTimer(_ => _ = CheckRoundAsync(), null,
            TimeSpan.FromSeconds(mirror.Settings.RoomCheckSeconds), Timeout.InfiniteTimeSpan);

    private async Task CheckRoundAsync()
    {
        try
        {
            await mirror.ExclusiveAsync(() => CheckRoomsAsync(CancellationToken.None));
        }
        catch (Exception ex)
        {
            MirrorLog.RoomCheckFailed(mirror.Logger, ex);
        }
        finally
        {
            _checkTimer?.Dispose();
            ArmCheck();
        }
    }

    /// <summary>Self-pings every room that has a joined session and no silent rejoin under way.</summary>
    public async ValueTask CheckRoomsAsync(CancellationToken ct)
    {
        foreach (var room in mirror.Rooms.ToList())
        {
            if (room.Sessions.Any(s => s.SilentRejoin)) continue; // being recovered already
            if (room.Joined.MinBy(s => s.JoinOrder) is not { } session) continue;
            var occupant = room.Master.WithResource(session.Nick);
            var ping = new XElement(Ns.Component + "iq", new XAttribute("type", StanzaType.Get), new XElement(Ns.Ping + "ping"));
            await RelayAsync(ping, session.ProxyJid, occupant, new Pending(occupant, occupant, session.Local, null, CheckOf: room), ct);
        }
    }

    private async ValueTask OnCheckAnswerAsync(ProxyRoom room, XElement answer, CancellationToken ct)
    {
        // The room may have gone and come back meanwhile: only the same room is recovered.
        if (!answer.IsErrorType() || mirror.Find(room.Master) != room || !Recovery.MeansNotAnOccupant(answer, toRoomOrSelf: true)) return;
        await recovery.RecoverRoomAsync(room, StanzaError.FromStanza(answer)!.Condition.ToXmlName(), ct);
    }
}
