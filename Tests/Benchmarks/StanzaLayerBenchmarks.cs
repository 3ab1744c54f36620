using System.Buffers;
using System.Xml;
using System.Xml.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using XmppGroupChat.Component;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Benchmarks;

/// <summary>
/// Parse and serialise throughput of the stanza layer on <see cref="StanzaCorpus"/>, against a
/// plain XmlReader read-through of the same bytes (tokenising only, no tree) as the ceiling.
/// Every benchmark processes the whole stream; results are per stanza (OperationsPerInvoke).
/// In-process toolchain: the default one would rebuild the project graph in a generated project.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class StanzaLayerBenchmarks
{
    public const int Stanzas = 2000;
    private const int ResetAt = 64 * 1024;

    private sealed class Config : BenchmarkDotNet.Configs.ManualConfig
    {
        public Config() => AddJob(Job.Default
            .WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10)
            .WithToolchain(InProcessEmitToolchain.Instance));
    }

    private byte[] _stream = [];
    private XElement[] _parsed = [];
    private readonly ArrayBufferWriter<byte> _out = new(2 * ResetAt);

    [GlobalSetup]
    public void Setup()
    {
        _stream = StanzaCorpus.Build(Stanzas);
        _parsed = ParseAll(_stream).GetAwaiter().GetResult();
        if (_parsed.Length != Stanzas) throw new InvalidOperationException($"parsed {_parsed.Length} stanzas, expected {Stanzas}");

        // Round trip: the serialised stanzas must parse back to the same count.
        var all = new ArrayBufferWriter<byte>(_stream.Length * 2);
        all.Write(System.Text.Encoding.UTF8.GetBytes(StanzaCorpus.Header));
        foreach (var s in _parsed) StanzaSerializer.Write(s, Ns.Component, all);
        all.Write(System.Text.Encoding.UTF8.GetBytes(StanzaCorpus.Footer));
        var again = ParseAll(all.WrittenSpan.ToArray()).GetAwaiter().GetResult();
        if (again.Length != Stanzas) throw new InvalidOperationException("round trip lost stanzas");

        var payload = _stream.Length - StanzaCorpus.Header.Length - StanzaCorpus.Footer.Length;
        Console.WriteLine($"// Corpus: {Stanzas} stanzas, {_stream.Length} bytes total, {payload} bytes of stanzas, " +
                          $"{(double)payload / Stanzas:F1} bytes/stanza; serialised back: {all.WrittenCount} bytes");
    }

    private static async Task<XElement[]> ParseAll(byte[] bytes)
    {
        using var reader = new XmppStreamReader(new MemoryStream(bytes, writable: false), 512 * 1024, 32);
        await reader.ReadStreamHeaderAsync();
        var list = new List<XElement>();
        while (await reader.ReadElementAsync() is { } e) list.Add(e);
        return list.ToArray();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Stanzas)]
    public async Task<long> XmlReaderReadThrough()
    {
        using var reader = XmlReader.Create(new MemoryStream(_stream, writable: false), new XmlReaderSettings
        {
            Async = true,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
        });
        long chars = 0;
        while (await reader.ReadAsync())
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                while (reader.MoveToNextAttribute()) chars += reader.Value.Length;
                reader.MoveToElement();
            }
            else if (reader.NodeType is XmlNodeType.Text or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
            {
                chars += reader.Value.Length;
            }
        }
        return chars;
    }

    [Benchmark(OperationsPerInvoke = Stanzas)]
    public async Task<int> Parse()
    {
        using var reader = new XmppStreamReader(new MemoryStream(_stream, writable: false), 512 * 1024, 32);
        await reader.ReadStreamHeaderAsync();
        var n = 0;
        while (await reader.ReadElementAsync() is not null) n++;
        return n;
    }

    [Benchmark(OperationsPerInvoke = Stanzas)]
    public async Task<int> ParseAndSerialise()
    {
        using var reader = new XmppStreamReader(new MemoryStream(_stream, writable: false), 512 * 1024, 32);
        await reader.ReadStreamHeaderAsync();
        var n = 0;
        while (await reader.ReadElementAsync() is { } e)
        {
            if (_out.WrittenCount > ResetAt) _out.ResetWrittenCount();
            StanzaSerializer.Write(e, Ns.Component, _out);
            n++;
        }
        return n;
    }

    [Benchmark(OperationsPerInvoke = Stanzas)]
    public int Serialise()
    {
        foreach (var e in _parsed)
        {
            if (_out.WrittenCount > ResetAt) _out.ResetWrittenCount();
            StanzaSerializer.Write(e, Ns.Component, _out);
        }
        return _out.WrittenCount;
    }
}
