using Microsoft.Extensions.Configuration;
using XmppGroupChat.Hosting;
using XmppGroupChat.Mix.Channels;
using XmppGroupChat.Mix.Dmuc;

namespace XmppGroupChat.Mix.Composition;

/// <summary>
/// Everything the room host is configured with, read once at start-up: the MIX service's policy, the
/// FMUC mirrors it trusts (and the user domains each may vouch for), the DMUC2 replicas it is primary
/// for, and the keys kept beside the archive (invitation tokens, occupant ids).
/// </summary>
public sealed record RoomHostOptions(
    MixSettings Mix,
    IReadOnlyList<string> TrustedMirrors,
    IReadOnlyDictionary<string, IReadOnlyList<string>> MirrorServes,
    DmucSettings Dmuc,
    byte[] InvitationKey,
    byte[] OccupantIdKey)
{
    public const string InvitationKeyFile = "invitation.key";
    public const string OccupantIdKeyFile = "occupant-id.key";

    public static RoomHostOptions Read(IConfiguration config, StorageSettings storage, string mixDomain, string mucDomain)
    {
        var mirrors = config.ReadList("Muc:TrustedMirrors");
        var serves = mirrors.ToDictionary(m => m, m => (IReadOnlyList<string>)config.ReadList($"Muc:MirrorServes:{m}"), StringComparer.OrdinalIgnoreCase);
        return new RoomHostOptions(
            MixSettings.Read(config, mixDomain, mucDomain),
            mirrors,
            serves,
            DmucSettings.Read(config),
            Invitations.LoadOrCreateKey(Path.Combine(storage.Path, InvitationKeyFile)),
            Invitations.LoadOrCreateKey(Path.Combine(storage.Path, OccupantIdKeyFile)));
    }
}
