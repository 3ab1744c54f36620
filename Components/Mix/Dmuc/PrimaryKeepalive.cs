using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Dmuc;

/// <summary>
/// Keepalive toward each registered replica (XEP-0282 §keepalive): when nothing has come from R for
/// Dmuc:KeepaliveSeconds, the room pings R (XEP-0199); no answer within that time, or a bounce, is a
/// split. While split it pings every third of that time; an answer only records that R is back: the
/// replica registers again itself (it learns of the split from its own pings, which the room refuses
/// while the split lasts). item-not-found means R let the room go: the registration is dropped.
/// </summary>
public sealed class PrimaryKeepalive(DmucPrimary primary)
{
    /// <summary>One look at every registration; the host runs it every <see cref="DmucSettings.Tick"/>, tests call it directly.</summary>
    public async Task TickAsync(CancellationToken ct)
    {
        foreach (var registration in primary.Registry.All)
        {
            var room = registration.Room;
            if (primary.Muc.Rooms.Find(room.Jid) != room)
            {
                primary.Registry.Remove(registration); // the room was destroyed
                continue;
            }
            var ping = false;
            lock (room.Sync)
            {
                var now = primary.Now;
                var due = registration.Split
                    ? now - registration.LastTried >= primary.Settings.SplitRetry
                    : now - registration.LastHeard >= primary.Settings.Keepalive && now - registration.LastTried >= primary.Settings.Keepalive;
                if (due && !registration.PingInFlight)
                {
                    registration.PingInFlight = true;
                    registration.LastTried = now;
                    ping = true;
                }
            }
            if (ping) primary.Background("keepalive ping", registration.Address, () => PingAsync(registration, ct));
        }
        await Task.CompletedTask;
    }

    private async Task PingAsync(ReplicaRegistration registration, CancellationToken ct)
    {
        var room = registration.Room;
        var iq = Stanza.Iq(StanzaType.Get, primary.Muc.RoomJid(room), registration.Address, new XElement(Ns.Ping + "ping"));
        StanzaError? error = null;
        var answered = false;
        try
        {
            await primary.Muc.Sender.RequestAsync(iq, primary.Settings.Keepalive, ct);
            answered = true;
        }
        catch (StanzaErrorException ex)
        {
            error = ex.Error;
        }
        catch (TimeoutException)
        {
        }
        lock (room.Sync)
        {
            registration.PingInFlight = false;
            if (answered || (error != null && !DmucPrimary.MeansSplit(error, StanzaKind.Iq))) registration.LastHeard = primary.Now;
        }
        if (error is { Condition: StanzaErrorCondition.ItemNotFound }) await primary.Splits.DropAsync(registration, ct);
        else if (!answered && (error is null || DmucPrimary.MeansSplit(error, StanzaKind.Iq)))
            await primary.Splits.MarkSplitAsync(registration, error is null
                ? $"no answer to a ping within {primary.Settings.Keepalive.TotalSeconds:0} s"
                : $"ping bounced: {error.Condition.ToXmlName()}", ct);
    }
}
