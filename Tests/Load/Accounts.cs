namespace XmppGroupChat.Load;

/// <summary>The occupants' accounts: load000, load001, … with one password, registered in-band.</summary>
public static class Accounts
{
    public const string Password = "load-pass";
    /// <summary>Connections opened at once while registering or logging in.</summary>
    public const int Batch = 20;

    public static string User(int index) => $"load{index:000}";

    public static Task RegisterAsync(int c2sPort, int count, CancellationToken ct) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Batch, CancellationToken = ct },
            async (i, token) => await LoadClient.RegisterAsync(c2sPort, User(i), Password, token));
}
