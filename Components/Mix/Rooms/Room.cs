using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Rooms;

/// <summary>
/// One room, the same conversation on every face (MIX channel, MUC room later). Mutated only
/// under <see cref="Sync"/>; I/O (archive, sends) happens outside the lock.
/// </summary>
public sealed class Room(Jid jid, DateTimeOffset created, RoomConfig config)
{
    private readonly Dictionary<string, Participant> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<Jid, Participant> _byJid = new();

    public object Sync { get; } = new();
    public Jid Jid { get; } = jid;
    public DateTimeOffset Created { get; } = created;
    public RoomConfig Config { get; set; } = config;

    /// <summary>Bare JID → owner | admin | member | outcast.</summary>
    public Dictionary<Jid, string> Affiliations { get; } = new();
    public string? Subject { get; set; }

    private readonly Dictionary<string, Occupant> _occupants = new(StringComparer.Ordinal);

    /// <summary>Created on the MUC face and not configured yet: only its owner may enter (XEP-0045 §createroom).</summary>
    public bool Locked { get; set; }

    /// <summary>
    /// Being deleted (destroyed, or a temporary room abandoned): set under <see cref="Sync"/> in the same
    /// step as the check that decided it, so a join racing the deletion is refused instead of being
    /// acknowledged and then lost with the room.
    /// </summary>
    public bool Removed { get; private set; }

    public void MarkRemoved() => Removed = true;

    /// <summary>item-not-found for anything that would add to a room on its way out. Caller holds <see cref="Sync"/>.</summary>
    public void RequireNotRemoved()
    {
        if (Removed) throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, $"{Jid} no longer exists"));
    }

    /// <summary>Who last set the subject (their nick), shown as the subject message's sender.</summary>
    public string? SubjectBy { get; set; }

    /// <summary>Message id → the mirror that sent it with FMUC &lt;nomirror/&gt; and must not get it back.</summary>
    public Dictionary<string, Jid> NoEcho { get; } = new(StringComparer.Ordinal);

    public void RememberNoEcho(string messageId, Jid mirror)
    {
        // A message that never reaches fan-out (its archiving failed) would stay here: keep the map small.
        if (NoEcho.Count >= 1024) NoEcho.Clear();
        NoEcho[messageId] = mirror;
    }

    /// <summary>DMUC2 replicas split from this room (their room addresses): no broadcast goes to them until they register again.</summary>
    public HashSet<Jid> SplitRelays { get; } = new();

    public IReadOnlyCollection<Occupant> Occupants => _occupants.Values;
    public Occupant? FindOccupant(string nick) => _occupants.GetValueOrDefault(nick);
    public Occupant? FindOccupantBySession(Jid fullJid) => _occupants.Values.FirstOrDefault(o => o.Sessions.ContainsKey(fullJid));
    public Occupant? FindOccupantByJid(Jid bareJid) => _occupants.Values.FirstOrDefault(o => o.BareJid.Equals(bareJid.Bare));
    public void AddOccupant(Occupant o) => _occupants.Add(o.Nick, o);
    public void RemoveOccupant(Occupant o) => _occupants.Remove(o.Nick);

    public void RenameOccupant(Occupant o, string nick)
    {
        _occupants.Remove(o.Nick);
        o.Nick = nick;
        _occupants.Add(nick, o);
    }

    public IReadOnlyCollection<Participant> Participants => _byId.Values;
    public int ParticipantCount => _byId.Count;

    public Participant? FindParticipant(Jid bareJid) => _byJid.GetValueOrDefault(bareJid.Bare);
    public Participant? FindParticipantById(string id) => _byId.GetValueOrDefault(id);

    public void Add(Participant p)
    {
        _byId.Add(p.Id, p);
        _byJid.Add(p.BareJid, p);
    }

    public bool Remove(Participant p) => _byId.Remove(p.Id) && _byJid.Remove(p.BareJid);

    /// <summary>True when <paramref name="nick"/> is used by a participant other than <paramref name="except"/> (case-insensitive).</summary>
    public bool NickTaken(string nick, Jid? except) =>
        _byId.Values.Any(p => p.Nick != null && string.Equals(p.Nick, nick, StringComparison.OrdinalIgnoreCase) && !p.BareJid.Equals(except));

    /// <summary>
    /// The affiliation of a user: their own entry, else their domain's (XEP-0406 lets the allowed
    /// and banned nodes name whole domains), else none.
    /// </summary>
    public string AffiliationOf(Jid jid) =>
        Affiliations.TryGetValue(jid.Bare, out var own) ? own
        : Affiliations.TryGetValue(Jid.Create(null, jid.Domain), out var domain) ? domain
        : "none";

    /// <summary>Banned (XEP-0406 banned node; MUC outcast).</summary>
    public bool IsBanned(Jid jid) => AffiliationOf(jid) == "outcast";

    /// <summary>
    /// May join: not banned, and in an allowed-only channel (XEP-0406 allowed node present; MUC
    /// members-only) affiliated as member, admin or owner.
    /// </summary>
    public bool IsAllowed(Jid jid) => !IsBanned(jid) && (!Config.AllowedOnly || AffiliationOf(jid) is "member" or "admin" or "owner");
    public bool IsOwner(Jid jid) => AffiliationOf(jid) == "owner";
    public bool IsAdmin(Jid jid) => AffiliationOf(jid) is "owner" or "admin";
}
