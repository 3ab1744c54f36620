namespace XmppGroupChat.Tests.Integration.Infrastructure.Federation;

/// <summary>
/// An NUnit fixture with a <see cref="Federation"/> started once for all its tests, stopped (temporary
/// directories deleted, addresses released) at the end, and its logs and link traffic printed when a test fails.
/// </summary>
public abstract class FederationFixture
{
    protected Federation Federation { get; private set; } = null!;

    /// <summary>The servers to start, e.g. alpha with the room host and beta with the mirror.</summary>
    protected abstract FederatedServerSpec[] Topology { get; }

    [OneTimeSetUp]
    public async Task StartFederation() => Federation = await Federation.StartAsync(Topology);

    [OneTimeTearDown]
    public async Task StopFederation()
    {
        if (Federation != null) await Federation.DisposeAsync();
    }

    [TearDown]
    public void ShowDiagnosticsOnFailure()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status != NUnit.Framework.Interfaces.TestStatus.Failed) return;
        TestContext.Out.WriteLine(Federation?.Diagnostics());
    }
}
