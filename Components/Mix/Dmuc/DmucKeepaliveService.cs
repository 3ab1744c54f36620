using Microsoft.Extensions.Hosting;

namespace XmppGroupChat.Mix.Dmuc;

/// <summary>Runs the primary's keepalive every <see cref="DmucSettings.Tick"/> once the MUC face is wired (only when replicas are configured).</summary>
public sealed class DmucKeepaliveService : BackgroundService
{
    private readonly TaskCompletionSource<DmucPrimary> _attached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Attach(DmucPrimary primary) => _attached.TrySetResult(primary);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DmucPrimary primary;
        try
        {
            primary = await _attached.Task.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        using var timer = new PeriodicTimer(primary.Settings.Tick);
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
                    Log.Failed(primary.Logger, ex, "a keepalive round", "every replica");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
