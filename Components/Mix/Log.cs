using Microsoft.Extensions.Logging;

namespace XmppGroupChat.Mix;

/// <summary>The room host's own log events, with stable ids (4501-4599; the mirror uses 4001-4099, Shared 1001-3999).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4501, Level = LogLevel.Information, Message = "FMUC: trusting mirrors {Domains} to vouch for their users")]
    public static partial void TrustingMirrors(ILogger logger, string domains);
}
