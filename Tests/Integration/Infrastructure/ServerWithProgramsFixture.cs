namespace XmppGroupChat.Tests.Integration.Infrastructure;

/// <summary>A fixture with one real server, the three programs attached to it and a logged-in user.</summary>
public abstract class ServerWithProgramsFixture(ServerKind kind)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    protected ServerKind Kind => kind;
    protected XmppServer Server { get; private set; } = null!;
    protected List<ComponentProgram> Programs { get; } = new();
    protected TestClient Alice { get; set; } = null!;

    [OneTimeSetUp]
    public async Task StartServerAndPrograms()
    {
        Server = XmppServer.Create(kind);
        await Server.StartAsync();
        foreach (var name in ComponentProgram.All) Programs.Add(ComponentProgram.Start(name, Server));
        foreach (var p in Programs) await p.WaitConnectedAsync(ConnectTimeout);
        Alice = await TestClient.ConnectAsync(Server.C2sPort, "alice");
    }

    [OneTimeTearDown]
    public async Task StopAll()
    {
        if (Alice != null) await Alice.DisposeAsync();
        foreach (var p in Programs) p.Dispose();
        if (Server != null) await Server.DisposeAsync();
    }

    [TearDown]
    public void ShowOutputOnFailure()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status != NUnit.Framework.Interfaces.TestStatus.Failed) return;
        foreach (var p in Programs) TestContext.Out.WriteLine($"--- {p.Name}\n{p.Process.Output}");
        TestContext.Out.WriteLine($"--- {kind}\n{Server.Log}");
    }
}
