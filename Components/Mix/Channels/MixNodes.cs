namespace XmppGroupChat.Mix.Channels;

/// <summary>The MIX channel nodes (XEP-0369 and the seed's mix:0 names, which are the same strings).</summary>
public static class MixNodes
{
    public const string Messages = "urn:xmpp:mix:nodes:messages";
    public const string Presence = "urn:xmpp:mix:nodes:presence";
    public const string Participants = "urn:xmpp:mix:nodes:participants";
    public const string Info = "urn:xmpp:mix:nodes:info";
    public const string Config = "urn:xmpp:mix:nodes:config";
    public const string Subject = "urn:xmpp:mix:nodes:subject";
    public const string Allowed = "urn:xmpp:mix:nodes:allowed";
    public const string Banned = "urn:xmpp:mix:nodes:banned";

    /// <summary>Nodes a participant may subscribe to.</summary>
    public static readonly string[] Subscribable = [Messages, Presence, Participants, Info, Config, Subject];
}
