using System.Xml.Linq;

namespace XmppGroupChat.Mix.Channels;

/// <summary>MIX-MISC (XEP-0407) names shared by its handlers and the channel's disco#info.</summary>
public static class MiscProtocol
{
    public static readonly XNamespace Namespace = Invitations.Misc;

    /// <summary>The channel takes &lt;register/&gt; (XEP-0407 §nick registration).</summary>
    public const string NickRegisterFeature = "urn:xmpp:mix:misc:0#nick-register";
}
