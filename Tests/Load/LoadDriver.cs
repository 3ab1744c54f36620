using XmppGroupChat.Tests.Integration.Infrastructure;

namespace XmppGroupChat.Load;

/// <summary>
/// Runs the requested targets on each server in turn: start the server, register the occupants'
/// accounts, measure each target on fresh connections, stop the server; then print the tables.
/// </summary>
public static class LoadDriver
{
    public static async Task<int> RunAsync(LoadOptions o)
    {
        using var deadline = new CancellationTokenSource(o.Deadline);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            deadline.Cancel();
        };
        var ct = deadline.Token;
        Console.WriteLine($"[load] {o.Occupants} occupants, {o.Senders} senders, window {o.Window}, " +
                          $"{o.Warmup.TotalSeconds:0} s warm-up + {o.Measure.TotalSeconds:0} s per measurement; " +
                          $"{Environment.ProcessorCount} cores, .NET {Environment.Version}; stops after {o.Deadline.TotalMinutes:0} min at most");

        var results = new List<TargetResult>();
        var failed = false;
        foreach (var kind in o.Servers)
        {
            await using var server = LoadServer.For(kind);
            try
            {
                await server.StartAsync();
                await Accounts.RegisterAsync(server.C2sPort, o.Occupants, ct);
                Console.WriteLine($"[load] {kind} up, {o.Occupants} accounts registered");
                foreach (var target in o.Targets)
                {
                    TargetResult result;
                    try
                    {
                        result = await TargetRunner.RunAsync(server, target, o, ct);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        result = new TargetResult(kind, target) { Failed = ex.Message.Split('\n')[0] };
                        Console.Error.WriteLine($"[load] {kind}/{LoadTarget.Name(target)} failed: {ex}");
                    }
                    if (result.Unavailable != null) Console.WriteLine($"[load] {kind}/{LoadTarget.Name(target)} not available: {result.Unavailable}");
                    failed |= result.Failed != null;
                    results.Add(result);
                }
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine($"[load] stopped: {(deadline.IsCancellationRequested ? "deadline or Ctrl-C" : "cancelled")}");
                failed = true;
                break;
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine($"[load] {kind} could not be measured: {ex}\n--- server log (end)\n{Tail(server.Log)}");
                failed = true;
            }
        }

        Console.WriteLine();
        Console.WriteLine(ReportTable.Markdown(results, o));
        return failed ? 1 : 0;
    }

    private static string Tail(string log) => log.Length <= 4000 ? log : log[^4000..];
}
