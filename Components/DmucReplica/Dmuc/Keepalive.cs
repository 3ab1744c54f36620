using XmppGroupChat.Xmpp;

namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>
/// Keepalive toward each primary (XEP-0282 §keepalive, XEP-0199 ping): when nothing has come from
/// the primary for Dmuc:KeepaliveSeconds, the replica pings the room; no answer within that time, or
/// a bounce, is a split. While split it pings every third of that time, and the first answer (or
/// anything else heard from the primary) starts the netjoin: a replicate with 'since' and the
/// roster. A ping refused by the primary (it answers but no longer has this replica registered)
/// also leads to registering again. A registration that does not complete within the keepalive
/// time counts as a split.
/// </summary>
public sealed class Keepalive(ReplicaService replica, Registration registration, SplitDetector split, Membership membership)
{
    /// <summary>One look at every room; the host runs it every <see cref="ReplicaSettings.Tick"/>, tests call it directly.</summary>
    public async Task TickAsync(CancellationToken ct)
    {
        foreach (var room in replica.Rooms.All)
        {
            using var _ = await ReplicaService.LockAsync(room, ct);
            if (room.Forgotten) continue;
            var now = replica.Now;
            var keepalive = replica.Settings.Keepalive;
            switch (room.Link)
            {
                case PrimaryLink.Unregistered when room.Joined.Any():
                    registration.Start(room, again: true); // restored after a restart
                    break;
                case PrimaryLink.Unregistered when room.Sessions.Count == 0:
                    await membership.ForgetIfEmptyAsync(room, ct); // restored with nobody in it
                    break;
                case PrimaryLink.Registering when room.Resync is { } r && now - r.Started >= keepalive:
                    await split.MarkSplitAsync(room, $"registration not complete within {keepalive.TotalSeconds:0} s", ct);
                    break;
                case PrimaryLink.Live when !room.PingInFlight && now - room.LastHeard >= keepalive && now - room.LastTried >= keepalive:
                    Ping(room);
                    break;
                case PrimaryLink.Split when !room.PingInFlight && now - room.LastTried >= replica.Settings.SplitRetry:
                    Ping(room);
                    break;
            }
        }
    }

    /// <summary>Something came from the primary: it is reachable. After a split that starts the netjoin. Caller holds the gate.</summary>
    public void HeardFrom(ReplicatedRoom room)
    {
        room.LastHeard = replica.Now;
        if (room.Link == PrimaryLink.Split) registration.Start(room, again: true);
    }

    /// <summary>
    /// The primary pinged R: it is reachable, so a split ends (the netjoin starts). It does not stand
    /// in for the replica's own keepalive, though: a primary that split this replica without its
    /// noticing (a bounce while the replica's server restarted) pings R while sending it nothing else,
    /// and only the replica's own ping, which that primary refuses, makes it register again. Caller holds the gate.
    /// </summary>
    public void PingedBy(ReplicatedRoom room)
    {
        if (room.Link == PrimaryLink.Split) HeardFrom(room);
    }

    private void Ping(ReplicatedRoom room)
    {
        room.PingInFlight = true;
        room.LastTried = replica.Now;
        var ping = Stanza.Iq(StanzaType.Get, room.Address, room.Primary, new System.Xml.Linq.XElement(Ns.Ping + "ping"));
        replica.Background(room, "keepalive ping", async () =>
        {
            StanzaError? error = null;
            var answered = false;
            try
            {
                await replica.Sender.RequestAsync(ping, replica.Settings.Keepalive);
                answered = true;
            }
            catch (StanzaErrorException ex)
            {
                error = ex.Error;
            }
            catch (TimeoutException)
            {
            }
            using var _ = await ReplicaService.LockAsync(room);
            room.PingInFlight = false;
            if (room.Forgotten) return;
            if (answered) HeardFrom(room);
            else if (error != null && !SplitDetector.MeansSplit(error, StanzaKind.Iq))
            {
                // The primary is there but does not know this replica in the room any more (it restarted,
                // or the room was destroyed): registering again says which, and restores the sessions.
                room.LastHeard = replica.Now;
                if (room.Link is PrimaryLink.Live or PrimaryLink.Split) registration.Start(room, again: true);
            }
            else if (room.Link == PrimaryLink.Live)
                await split.MarkSplitAsync(room, error is null
                    ? $"no answer to a ping within {replica.Settings.Keepalive.TotalSeconds:0} s"
                    : $"ping bounced: {error.Condition.ToXmlName()}", default);
        });
    }
}
