using Microsoft.Extensions.Logging;

namespace XmppGroupChat.Mix;

/// <summary>The room host's own log events, with stable ids (4001-4099; Shared uses 1001-3999).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "FMUC: trusting mirrors {Domains} to vouch for their users")]
    public static partial void TrustingMirrors(ILogger logger, string domains);
}
