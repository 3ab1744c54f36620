using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace XmppGroupChat.Benchmarks;

public static class Program
{
    // dotnet run -c Release --project Tests/Benchmarks -- --filter '*StanzaLayer*'
    // Reports go to Tests/Benchmarks/BenchmarkDotNet.Artifacts (bin/Release/net10.0 is three levels down).
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args,
        DefaultConfig.Instance.WithArtifactsPath(
            Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "BenchmarkDotNet.Artifacts"))));
}
