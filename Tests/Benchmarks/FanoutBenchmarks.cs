using System.Text;
using System.Xml.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.Extensions.Logging.Abstractions;
using XmppGroupChat.Archive;
using XmppGroupChat.Component;
using XmppGroupChat.Mix.Channels;
using XmppGroupChat.Mix.Composition;
using XmppGroupChat.Mix.Dmuc;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Benchmarks;

/// <summary>
/// Component-side cost per delivered stanza when one channel message fans out to 1,000
/// participants. The room host is composed as the program composes it (<see cref="RoomHostComposition"/>,
/// real <see cref="SqliteArchive"/> in a temporary directory) with a <see cref="CountingSender"/> in
/// place of each link: its <c>SendSerializedAsync</c> only counts, like the link's queue write it
/// does no I/O, so the socket write is not included. 1,000 participants join through the router,
/// each from its own full JID, so each has one online resource; the sender is one of them and gets
/// its own reflection, so one message is exactly 1,000 delivered stanzas.
/// <c>OneMessageTo1000</c>: one groupchat message (≈300-byte body, origin-id) through the router,
/// awaited until the 1,000th copy is handed to the sender: dispatcher, the room's executor, handler,
/// conversation, archive append (a group commit of one message), one serialisation, 1,000 addressed
/// copies. <c>FanoutOnly</c>: the same message with its text in an extension element instead of a
/// body, which the conversation reflects without archiving (the path chat states take): the same
/// path and per-recipient work, without the append. Results are per delivered stanza.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class FanoutBenchmarks
{
    public const int Participants = 1000;
    private static readonly Jid Service = Jid.Parse("mix.localhost");
    private const string Channel = "bench@mix.localhost";
    private static readonly XNamespace Payload = "urn:xmppgroupchat:bench:0";

    private sealed class Config : BenchmarkDotNet.Configs.ManualConfig
    {
        public Config() => AddJob(Job.Default
            .WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15)
            .WithToolchain(InProcessEmitToolchain.Instance));
    }

    private string _directory = "";
    private SqliteArchive _archive = null!;
    private RoomHostComposition _host = null!;
    private readonly CountingSender _sender = new(Service);
    private XElement _withBody = null!;
    private XElement _withoutBody = null!;
    private long _next;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        _directory = Path.Combine(Path.GetTempPath(), "fanout-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _archive = await SqliteArchive.OpenAsync(Path.Combine(_directory, "archive.db"), NullLogger.Instance);
        var options = new RoomHostOptions(new MixSettings(["localhost"], null, Service.ToString()), [], new Dictionary<string, IReadOnlyList<string>>(),
            DmucSettings.None, Invitations.LoadOrCreateKey(Path.Combine(_directory, "invitation.key")),
            Invitations.LoadOrCreateKey(Path.Combine(_directory, "occupant-id.key")));
        _host = await RoomHostComposition.OpenAsync(options, _archive, _sender, new CountingSender(Jid.Parse("muc.localhost")),
            TimeProvider.System, NullLoggerFactory.Instance, CancellationToken.None);
        var rooms = _host.Rooms;

        await IqAsync(new XElement(Ns.Component + "iq", new XAttribute("type", "set"), new XAttribute("id", "create"),
            new XAttribute("from", "owner@localhost/admin"), new XAttribute("to", Service.ToString()),
            new XElement(Ns.MixCore + "create", new XAttribute("channel", "bench"))));
        for (var i = 0; i < Participants; i++)
        {
            await IqAsync(new XElement(Ns.Component + "iq", new XAttribute("type", "set"), new XAttribute("id", $"join-{i}"),
                new XAttribute("from", $"user{i}@localhost/res-{i}"), new XAttribute("to", Channel),
                new XElement(Ns.MixCore + "join",
                    new XElement(Ns.MixCore + "subscribe", new XAttribute("node", MixNodes.Messages)),
                    new XElement(Ns.MixCore + "nick", $"user {i}"))));
        }
        var room = rooms.Find(Jid.Parse(Channel))!;
        var online = room.Participants.Sum(p => p.OnlineResources.Count);
        if (room.ParticipantCount != Participants || online != Participants)
            throw new InvalidOperationException($"{room.ParticipantCount} participants, {online} online resources; expected {Participants}");

        // A realistic groupchat message from participant 500: a 300-byte body (one non-ASCII word), origin-id.
        var text = "Deploy note: the archive writer now commits in batches of up to 2048 appends, and the MAM " +
                   "pager counts by position instead of COUNT(*). If your client shows gaps after the restart, " +
                   "refresh the last page; nothing was lost. Thanks, and sorry for the noise — ping me with logs " +
                   "if anything still looks off after lunch today.";
        _withBody = Message(new XElement(Ns.Component + "body", text));
        _withoutBody = Message(new XElement(Payload + "note", text));

        // Check both paths once: 1,000 copies, each addressed, the body (or note) in it; only the first is archived.
        foreach (var (template, archived) in new[] { (_withBody, true), (_withoutBody, false) })
        {
            var writes = _archive.WriteStats.Writes;
            var (bytes, sample) = await DeliverOnceAsync(template, capture: true);
            var appended = _archive.WriteStats.Writes - writes;
            var xml = Encoding.UTF8.GetString(sample!);
            if (!xml.Contains(" to=\"user") || !xml.Contains("sorry for the noise") || appended != (archived ? 1 : 0))
                throw new InvalidOperationException($"unexpected fan-out ({appended} appends): {xml}");
            Console.WriteLine($"// {(archived ? "with body" : "without body")}: {Participants} copies, {(double)bytes / Participants:F1} bytes/copy; " +
                              $"inbound {Encoding.UTF8.GetByteCount(template.ToString(SaveOptions.DisableFormatting))} bytes; first copy: {xml}");
        }
    }

    private XElement Message(XElement content) => new(Ns.Component + "message",
        new XAttribute("type", "groupchat"), new XAttribute("id", "m"),
        new XAttribute("from", "user500@localhost/res-500"), new XAttribute("to", Channel),
        new XAttribute(XNamespace.Xml + "lang", "en"),
        content,
        new XElement(Ns.StanzaId + "origin-id", new XAttribute("id", "origin")));

    private async Task IqAsync(XElement iq)
    {
        await _host.MixInbound.DispatchAsync(iq, CancellationToken.None);
        await _host.Work.WhenIdle();
        var reply = _sender.LastReply;
        if (reply?.GetStanzaType() != "result" || reply.GetId() != iq.GetId())
            throw new InvalidOperationException($"{iq.GetId()} failed: {reply}");
    }

    /// <summary>Dispatches a fresh copy of the message (its own id and origin-id) and waits for all 1,000 copies.</summary>
    private async Task<(long Bytes, byte[]? Sample)> DeliverOnceAsync(XElement template, bool capture = false)
    {
        var message = new XElement(template);
        var n = ++_next;
        message.SetAttributeValue("id", "m" + n);
        message.Element(Ns.StanzaId + "origin-id")!.SetAttributeValue("id", "origin-" + n);
        var done = _sender.Expect(Participants, capture);
        await _host.MixInbound.DispatchAsync(message, CancellationToken.None);
        return await done;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_sender.Other > 0) Console.WriteLine($"// {_sender.Other} unexpected stanzas sent, last: {_sender.LastReply}");
        _host.Work.WhenIdle().GetAwaiter().GetResult();
        _host.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Participants)]
    public async Task<long> OneMessageTo1000() => (await DeliverOnceAsync(_withBody)).Bytes;

    [Benchmark(OperationsPerInvoke = Participants)]
    public async Task<long> FanoutOnly() => (await DeliverOnceAsync(_withoutBody)).Bytes;

    /// <summary>
    /// Stands in for the link. <c>SendSerializedAsync</c> counts stanzas and bytes and does no I/O
    /// (the link's own is a write to its outbound queue; its writer loop and socket write are not
    /// measured here); when the expected count is reached it completes the waiting invocation.
    /// Called only from the one room's executor, so plain fields suffice.
    /// </summary>
    private sealed class CountingSender(Jid domain) : IStanzaSender
    {
        private int _expected, _count;
        private long _bytes;
        private bool _capture;
        private byte[]? _sample;
        private TaskCompletionSource<(long, byte[]?)> _done = new();

        public Jid Domain => domain;
        public XElement? LastReply { get; private set; }
        public int Other { get; private set; }

        public Task<(long Bytes, byte[]? Sample)> Expect(int count, bool capture)
        {
            _count = 0;
            _bytes = 0;
            _sample = null;
            _capture = capture;
            _done = new TaskCompletionSource<(long, byte[]?)>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _expected, count);
            return _done.Task;
        }

        public ValueTask SendSerializedAsync(ReadOnlyMemory<byte> utf8Stanza, CancellationToken cancellationToken)
        {
            _bytes += utf8Stanza.Length;
            if (_capture && _sample is null) _sample = utf8Stanza.ToArray();
            if (++_count == Volatile.Read(ref _expected)) _done.TrySetResult((_bytes, _sample));
            return ValueTask.CompletedTask;
        }

        // IQ results during setup; anything else (an error reply) is counted and reported.
        public ValueTask SendAsync(XElement stanza, CancellationToken cancellationToken)
        {
            LastReply = stanza;
            if (stanza.GetKind() != StanzaKind.Iq || stanza.GetStanzaType() != "result") Other++;
            return ValueTask.CompletedTask;
        }

        public Task<XElement> RequestAsync(XElement iq, TimeSpan? timeout, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the MIX service sends no requests of its own");
    }
}
