namespace XmppGroupChat.Mix.Dmuc;

/// <summary>Runs the primary's keepalive every <see cref="DmucSettings.Tick"/> (only when replicas are configured).</summary>
public sealed class DmucKeepaliveLoop(DmucPrimary primary, TimeProvider clock)
{
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(primary.Settings.Tick, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await primary.Keepalive.TickAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    RoomHostLog.Failed(primary.Logger, ex, "a keepalive round", "every replica");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await primary.Keepalive.PingsDone;
    }
}
