using Microsoft.Extensions.Logging;
using XmppGroupChat.Archive;
using XmppGroupChat.Component;
using XmppGroupChat.Component.Routing;
using XmppGroupChat.Concurrency;
using XmppGroupChat.Hosting;
using XmppGroupChat.Mix.Channels;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Dmuc;
using XmppGroupChat.Mix.Features;
using XmppGroupChat.Mix.Fmuc;
using XmppGroupChat.Mix.Muc;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Composition;

/// <summary>
/// The room host, composed once: the one place where every part is built and handed what it needs,
/// through constructors. Program.cs and the unit tests' harness both use it, so the tests exercise
/// the production wiring. Two links (the MIX face on Component:Domain, the MUC face on Muc:Domain),
/// one registry of rooms with an executor each, one conversation per room that both faces plug into,
/// and one archive.
/// </summary>
public sealed class RoomHostComposition : IComponentRoot
{
    private readonly IArchiveStore _archive;
    private readonly SerialExecutor _mixService;
    private readonly SerialExecutor _mucService;
    private readonly DmucKeepaliveLoop? _keepalive;

    private RoomHostComposition(RoomHostOptions options, IArchiveStore archive, IStanzaSender mixLink, IStanzaSender mucLink,
        TimeProvider clock, ILoggerFactory loggers, WorkTracker work)
    {
        _archive = archive;
        Work = work;
        var logger = loggers.CreateLogger("XmppGroupChat.Mix");
        var mixLogger = loggers.CreateLogger("XmppGroupChat.Mix.Channels");
        var mucLogger = loggers.CreateLogger("XmppGroupChat.Mix.Muc");
        Rooms = new RoomRegistry(archive, mixLink.Domain, work, logger);
        var invitations = new Invitations(options.InvitationKey);
        Features = new RoomFeatures(Rooms, invitations);

        // The faces render the conversation: built first, they need nothing of it, so the conversation
        // takes them whole and no face ever calls another.
        var mucAddresses = new MucAddresses(mucLink, options.OccupantIdKey);
        var participants = new ParticipantsAsOccupants(mucAddresses);
        IRoomFace[] faces = [new ChannelFace(mixLink, options.Mix, Rooms), new MucFace(mucAddresses, participants)];
        Conversation = new RoomConversation(Rooms, archive, faces, Features.MessageRules, logger);

        var mucRelays = new RelayTrust(TrustedRelays(options, Rooms, mucLogger, out var replicaRegistry));
        var mucService = new MucService(Rooms, Conversation, Features, mucAddresses, options.Mix, mucRelays, mucLogger);
        var channels = new ChannelService(Rooms, Conversation, Features, mixLink, options.Mix, invitations, mixLogger);
        var occupancy = new Occupancy(mucService, new DiscussionHistory(mucService), participants);
        var primary = options.Dmuc.Replicas.Count > 0
            ? new DmucPrimary(mucService, occupancy, participants, replicaRegistry, options.Dmuc, clock)
            : null;
        Primary = primary;
        if (primary != null) _keepalive = new DmucKeepaliveLoop(primary, clock);

        _mixService = new SerialExecutor(mixLink.Domain.ToString(), logger, work);
        _mucService = new SerialExecutor(mucLink.Domain.ToString(), logger, work);
        MixInbound = new StanzaDispatcher(ChannelRoutes.Declare(new RouteTable(), channels).Build(), mixLink,
            new RoomScope(Rooms, _mixService), loggers.CreateLogger($"XmppGroupChat.Link.{mixLink.Domain}"));
        MucInbound = new StanzaDispatcher(MucRoutes.Declare(new RouteTable(), mucService, occupancy, primary).Build(), mucLink,
            new RoomScope(Rooms, _mucService), loggers.CreateLogger($"XmppGroupChat.Link.{mucLink.Domain}"));
        MixDomain = mixLink.Domain;
        MucDomain = mucLink.Domain;
    }

    /// <summary>Opens the room host on an open archive: loads its rooms, and builds both faces.</summary>
    public static async Task<RoomHostComposition> OpenAsync(RoomHostOptions options, IArchiveStore archive, IStanzaSender mixLink,
        IStanzaSender mucLink, TimeProvider clock, ILoggerFactory loggers, CancellationToken ct)
    {
        var host = new RoomHostComposition(options, archive, mixLink, mucLink, clock, loggers, new WorkTracker());
        await host.Rooms.LoadAsync(ct);
        return host;
    }

    public RoomRegistry Rooms { get; }
    public RoomFeatures Features { get; }
    public RoomConversation Conversation { get; }
    public DmucPrimary? Primary { get; }
    public WorkTracker Work { get; }
    public Jid MixDomain { get; }
    public Jid MucDomain { get; }

    /// <summary>Where the MIX link's stanzas go.</summary>
    public StanzaDispatcher MixInbound { get; }

    /// <summary>Where the MUC link's stanzas go.</summary>
    public StanzaDispatcher MucInbound { get; }

    public IInboundStanzas InboundFor(string domain) =>
        string.Equals(domain, MixDomain.Domain, StringComparison.OrdinalIgnoreCase) ? MixInbound
        : string.Equals(domain, MucDomain.Domain, StringComparison.OrdinalIgnoreCase) ? MucInbound
        : throw new ArgumentException($"the room host has no link for {domain}", nameof(domain));

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        if (_keepalive != null) await _keepalive.RunAsync(stoppingToken);
        else await Task.Delay(Timeout.Infinite, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        // Whatever the rooms are doing finishes before the archive closes.
        await Work.WhenIdle().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public ValueTask DisposeAsync() => _archive.DisposeAsync();

    private static IReadOnlyList<IRelayVouching> TrustedRelays(RoomHostOptions options, RoomRegistry rooms, ILogger logger, out ReplicaRegistry replicas)
    {
        replicas = new ReplicaRegistry();
        if (options.TrustedMirrors.Count > 0) RoomHostLog.TrustingMirrors(logger, string.Join(", ", options.TrustedMirrors));
        return
        [
            new TrustedMirrors(options.TrustedMirrors, logger, options.MirrorServes),
            new TrustedReplicas(options.Dmuc, replicas, rooms),
        ];
    }
}
