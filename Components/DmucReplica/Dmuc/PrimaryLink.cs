namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>The replica's standing with a room's primary.</summary>
public enum PrimaryLink
{
    /// <summary>Never registered (a room just created by its first local enter).</summary>
    Unregistered,

    /// <summary>A replicate request is out, or its roster and history are still arriving.</summary>
    Registering,

    /// <summary>Registered: broadcasts arrive, submissions go.</summary>
    Live,

    /// <summary>Netsplit: the primary did not answer or a stanza to it bounced. Local presence goes on; submissions wait.</summary>
    Split,
}
