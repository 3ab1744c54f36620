using Microsoft.Extensions.Logging;

namespace XmppGroupChat.Mix;

/// <summary>The room host's own log events, with stable ids (4501-4599; the mirror uses 4001-4099, Shared 1001-3999).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4501, Level = LogLevel.Information, Message = "FMUC: trusting mirrors {Domains} to vouch for their users")]
    public static partial void TrustingMirrors(ILogger logger, string domains);

    [LoggerMessage(EventId = 4502, Level = LogLevel.Information, Message = "{Relay} answered {Room} with an error: its {Sessions} session(s) left the room")]
    public static partial void RelayGone(ILogger logger, string relay, string room, int sessions);

    [LoggerMessage(EventId = 4503, Level = LogLevel.Warning, Message = "FMUC: refused a join from mirror {Mirror} for {User}: the mirror serves {Serves} only")]
    public static partial void MirrorOverreach(ILogger logger, string mirror, string user, string serves);
}
