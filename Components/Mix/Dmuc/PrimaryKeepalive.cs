using System.Collections.Concurrent;
using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Dmuc;

/// <summary>
/// Keepalive toward each registered replica (XEP-0282 §keepalive): when nothing has come from R for
/// Dmuc:KeepaliveSeconds, the room pings R (XEP-0199); no answer within that time, or a bounce, is a
/// split. While split it pings every third of that time; an answer only records that R is back: the
/// replica registers again itself (it learns of the split from its own pings, which the room refuses
/// while the split lasts). item-not-found means R let the room go: the registration is dropped.
/// Each look at a registration, and each ping's outcome, runs on the room's executor; the round trip
/// itself runs outside it, so a slow replica never holds the room up.
/// </summary>
public sealed class PrimaryKeepalive(DmucPrimary primary)
{
    private readonly ConcurrentDictionary<Task, byte> _pings = new();

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
            await primary.Muc.Rooms.InvokeAsync(room, () =>
            {
                var now = primary.Now;
                var due = registration.Split
                    ? now - registration.LastTried >= primary.Settings.SplitRetry
                    : now - registration.LastHeard >= primary.Settings.Keepalive && now - registration.LastTried >= primary.Settings.Keepalive;
                if (due && !registration.PingInFlight)
                {
                    registration.PingInFlight = true;
                    registration.LastTried = now;
                    StartPing(registration, ct);
                }
                return ValueTask.CompletedTask;
            });
        }
    }

    /// <summary>Completes when the pings in flight now have been answered or timed out, and their outcome handled (shutdown, tests).</summary>
    public Task PingsDone => Task.WhenAll(_pings.Keys);

    private void StartPing(ReplicaRegistration registration, CancellationToken ct)
    {
        var ping = Task.Run(async () =>
        {
            try
            {
                var (answered, error) = await PingAsync(registration, ct);
                await primary.Muc.Rooms.InvokeAsync(registration.Room, () => OnOutcomeAsync(registration, answered, error, ct));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                RoomHostLog.Failed(primary.Logger, ex, "keepalive ping", registration.Address.ToString());
            }
        }, CancellationToken.None);
        _pings.TryAdd(ping, 0);
        ping.ContinueWith(t => _pings.TryRemove(t, out _), TaskScheduler.Default);
    }

    private async Task<(bool Answered, StanzaError? Error)> PingAsync(ReplicaRegistration registration, CancellationToken ct)
    {
        var iq = Stanza.Iq(StanzaType.Get, primary.Muc.RoomJid(registration.Room), registration.Address, new XElement(Ns.Ping + "ping"));
        try
        {
            await primary.Muc.Sender.RequestAsync(iq, primary.Settings.Keepalive, ct);
            return (true, null);
        }
        catch (StanzaErrorException ex)
        {
            return (false, ex.Error);
        }
        catch (TimeoutException)
        {
            return (false, null);
        }
    }

    private async ValueTask OnOutcomeAsync(ReplicaRegistration registration, bool answered, StanzaError? error, CancellationToken ct)
    {
        registration.PingInFlight = false;
        if (answered || (error != null && !DmucPrimary.MeansSplit(error, StanzaKind.Iq))) registration.LastHeard = primary.Now;
        if (error is { Condition: StanzaErrorCondition.ItemNotFound }) await primary.Splits.DropAsync(registration, ct);
        else if (!answered && (error is null || DmucPrimary.MeansSplit(error, StanzaKind.Iq)))
            await primary.Splits.MarkSplitAsync(registration, error is null
                ? $"no answer to a ping within {primary.Settings.Keepalive.TotalSeconds:0} s"
                : $"ping bounced: {error.Condition.ToXmlName()}", ct);
    }
}
