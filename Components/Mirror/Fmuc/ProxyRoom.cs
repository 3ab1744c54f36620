using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>
/// A master room the mirror has local users in: its sessions, its local history and the ids of
/// fire-and-forget messages whose echo a plain MUC may still send. Like all mirror state it is
/// touched only from the link's dispatch loop, one stanza at a time, so it needs no locks.
/// </summary>
public sealed class ProxyRoom(Jid master, Jid proxy, bool fireAndForget, int historySize)
{
    private readonly Dictionary<Jid, ProxySession> _byLocal = new();
    private readonly Dictionary<string, ProxySession> _bySid = new(StringComparer.Ordinal);
    private long _joins;

    /// <summary>The room at the master, room@muc.alpha.test.</summary>
    public Jid Master { get; } = master;

    /// <summary>The room here, room\40muc.alpha.test@mirror.beta.test.</summary>
    public Jid Proxy { get; } = proxy;

    public bool FireAndForget { get; } = fireAndForget;
    public LocalHistory History { get; } = new(historySize);
    public RecentIds NoMirrorIds { get; } = new(256);

    /// <summary>The room is on disk (a session of it has been saved), with what its service was then known to speak.</summary>
    public bool Stored { get; set; }
    public bool? StoredFmuc { get; set; }

    /// <summary>
    /// Restored after a restart: the local history (in memory) starts empty, so joiners get the
    /// master's until the mirror has a full <see cref="LocalHistory"/> again.
    /// </summary>
    public bool HistoryGap { get; set; }

    public IEnumerable<ProxySession> Sessions => _byLocal.Values;
    public bool IsEmpty => _byLocal.Count == 0;

    /// <summary>Sessions that receive the room's broadcasts.</summary>
    public IEnumerable<ProxySession> Joined => _byLocal.Values.Where(s => s.State == SessionState.Joined);

    public bool HasJoinedSession => _byLocal.Values.Any(s => s.State == SessionState.Joined);

    public ProxySession? FindByLocal(Jid local) => _byLocal.GetValueOrDefault(local);
    public ProxySession? FindBySid(string? sid) => sid is null ? null : _bySid.GetValueOrDefault(sid);

    /// <summary>The session that records a plain MUC's per-session copies: the oldest one still in the room.</summary>
    public ProxySession? Recorder => _byLocal.Values.Where(s => s.State != SessionState.Leaving).MinBy(s => s.JoinOrder);

    public long NextJoinOrder() => ++_joins;

    public void Add(ProxySession session)
    {
        _byLocal[session.Local] = session;
        _bySid[session.Sid] = session;
    }

    public void Remove(ProxySession session)
    {
        _byLocal.Remove(session.Local);
        _bySid.Remove(session.Sid);
    }

    /// <summary>A master address (room@muc.alpha.test or room@muc.alpha.test/N) as seen here.</summary>
    public Jid ToProxy(Jid masterAddress) => masterAddress.Resource is null ? Proxy : Proxy.WithResource(masterAddress.Resource);
}
