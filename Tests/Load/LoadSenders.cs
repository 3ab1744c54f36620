using System.Diagnostics;

namespace XmppGroupChat.Load;

/// <summary>
/// The senders' two ways of sending, both stopping by themselves at <c>until</c> (Stopwatch ticks).
/// Each message is stamped with the time it is written to the sender's socket.
/// </summary>
public static class LoadSenders
{
    /// <summary>
    /// As fast as the room delivers: a sender waits while <paramref name="window"/> messages (across
    /// all senders) have not reached every occupant yet. The bound keeps the servers' queues, and
    /// so the run, finite.
    /// </summary>
    public static Task SaturateAsync(LoadRoom room, Phase phase, int window, long until, CancellationToken ct) =>
        Task.WhenAll(room.Senders.Select(sender => Task.Run(async () =>
        {
            var roomJid = room.Room.ToString();
            while (Stopwatch.GetTimestamp() < until && !ct.IsCancellationRequested)
            {
                if (phase.InFlight >= window)
                {
                    await Task.Delay(1, ct);
                    continue;
                }
                phase.CountSent();
                sender.SendGroupchat(roomJid, Marker.Body(phase.Id, Stopwatch.GetTimestamp()));
            }
        }, ct)));

    /// <summary>
    /// An open-loop schedule of <paramref name="rate"/> messages/s in total, spread evenly over the
    /// senders and over time, whatever the room's pace (so queueing shows up as latency). The
    /// schedule is kept by a 1 ms timer: messages whose time has come go out together.
    /// </summary>
    public static Task PaceAsync(LoadRoom room, Phase phase, double rate, long until, CancellationToken ct)
    {
        var senders = room.Senders.Count;
        var interval = Stopwatch.Frequency * senders / rate;
        var start = Stopwatch.GetTimestamp();
        return Task.WhenAll(room.Senders.Select((sender, i) => Task.Run(async () =>
        {
            var roomJid = room.Room.ToString();
            var next = start + interval * i / senders;
            while (!ct.IsCancellationRequested)
            {
                var now = Stopwatch.GetTimestamp();
                if (now >= until) return;
                while (next <= now)
                {
                    phase.CountSent();
                    sender.SendGroupchat(roomJid, Marker.Body(phase.Id, Stopwatch.GetTimestamp()));
                    next += interval;
                }
                await Task.Delay(1, ct);
            }
        }, ct)));
    }
}
