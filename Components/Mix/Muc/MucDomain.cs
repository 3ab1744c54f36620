using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using XmppGroupChat.Component;
using XmppGroupChat.Hosting;
using XmppGroupChat.Mix.Dmuc;
using XmppGroupChat.Mix.Fmuc;
using XmppGroupChat.Mix.Mam;
using XmppGroupChat.Mix.Mix;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Muc;

/// <summary>The MUC face of the room host (muc.&lt;server&gt;): wires each concern's handlers to the link.</summary>
public static class MucDomain
{
    public static void Configure(StanzaRouter router, IStanzaSender sender, IServiceProvider services)
    {
        var host = services.GetRequiredService<RoomHost>();
        var config = services.GetRequiredService<IConfiguration>();
        var mixDomain = config["Component:Domain"] ?? "";
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("XmppGroupChat.Muc");
        var muc = new MucService(host.Rooms, host.Archive, host.Broadcaster, sender, () => host.MixFace,
            MixSettings.Read(config, mixDomain, sender.Domain.ToString()), host.OccupantIdKey, logger);
        var mirrors = config.ReadList("Muc:TrustedMirrors");
        var serves = mirrors.ToDictionary(m => m, m => (IReadOnlyList<string>)config.ReadList($"Muc:MirrorServes:{m}"), StringComparer.OrdinalIgnoreCase);
        muc.Relays.Add(new TrustedMirrors(mirrors, logger, serves));
        if (mirrors.Count > 0) XmppGroupChat.Mix.Log.TrustingMirrors(logger, string.Join(", ", mirrors));
        host.MucFace = Wire(router, muc, DmucSettings.Read(config));
        if (muc.Dmuc != null) services.GetService<DmucKeepaliveService>()?.Attach(muc.Dmuc);
    }

    /// <summary>Registers every MUC handler; returns the message path the MIX face delivers through.</summary>
    /// <param name="dmuc">DMUC2 replicas to trust; with any, the room host is also their primary.</param>
    /// <param name="clock">The DMUC2 keepalive's clock (tests move it by hand).</param>
    public static RoomMessages Wire(StanzaRouter router, MucService muc, DmucSettings? dmuc = null, TimeProvider? clock = null)
    {
        var faces = new ParticipantsAsOccupants(muc);
        // Program.cs adds the MIX link first, so the MIX face is wired by now.
        if (muc.Mix is { } mix)
        {
            mix.ParticipantPresenceChanged = faces.ParticipantChangedAsync;
            mix.NickHeldElsewhere = (room, nick, user) => room.FindOccupant(nick) is { } o && !o.BareJid.Equals(user);
        }
        var occupancy = new Occupancy(muc, new DiscussionHistory(muc), faces);
        // First, so a replica's bounces and resubmissions reach the primary before the core handlers.
        if (dmuc is { Replicas.Count: > 0 }) muc.Dmuc = DmucPrimary.Wire(router, muc, occupancy, faces, dmuc, clock ?? TimeProvider.System);
        var messages = new RoomMessages(muc, occupancy);
        new RoomDiscovery(muc).Register(router);
        occupancy.Register(router);
        new MediatedInvitations(muc).Register(router);
        messages.Register(router);
        var admin = new RoomAdmin(muc, occupancy);
        admin.Register(router);
        var owner = new RoomOwner(muc, admin);
        owner.Register(router);
        if (muc.Mix is { } mixFace) mixFace.DestroyEverywhere = (room, ct) => owner.DestroyAsync(room, null, ct);
        // A query relayed by a mirror comes from its proxy session: the room answers as it would the real user.
        new MamQueries(muc.Archive, muc.Sender, muc.RequireRoom,
            (room, from) => MucService.RealJidOf(room, from) is var jid && (room.FindOccupantByJid(jid) != null || room.FindParticipant(jid) != null
                            || room.IsAdmin(jid) || (!room.Config.AllowedOnly && room.Config.Public)),
            (m, room, viewer) => RoomMessages.ForOccupants(muc, room, m, MucService.SeesJids(room, MucService.RealJidOf(room, viewer))),
            muc.RoomJid).Register(router);
        return messages;
    }
}
