namespace XmppGroupChat.Mix.Conversation;

/// <summary>The ways into a room: each is a face that renders the one conversation for its people.</summary>
public enum Face
{
    /// <summary>The MIX channel, mix.&lt;server&gt; (XEP-0369 and the seed's mix:0).</summary>
    Mix,

    /// <summary>The MUC room, muc.&lt;server&gt; (XEP-0045), and the FMUC mirrors and DMUC2 replicas behind it.</summary>
    Muc,
}
