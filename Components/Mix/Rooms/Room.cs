using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Rooms;

/// <summary>
/// One room: the same conversation on every face (MIX channel, MUC room, the relays behind them).
/// Its state is read and changed only by work running on the room's executor (see
/// <see cref="RoomRegistry"/>); nothing here is locked, and nothing needs to be. The one exception
/// is <see cref="Config"/>, an immutable value replaced whole, which the service reads to list rooms.
/// </summary>
public sealed class Room(Jid jid, DateTimeOffset created, RoomConfig config)
{
    private readonly Dictionary<string, Participant> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<Jid, Participant> _byJid = new();
    private readonly Dictionary<string, Occupant> _occupants = new(StringComparer.Ordinal);
    private volatile RoomConfig _config = config;

    public Jid Jid { get; } = jid;
    public DateTimeOffset Created { get; } = created;

    public RoomConfig Config
    {
        get => _config;
        set => _config = value;
    }

    /// <summary>Bare JID (or a whole domain, which XEP-0406 lists allow) → affiliation; "none" is not stored.</summary>
    public Dictionary<Jid, Affiliation> Affiliations { get; } = new();

    public string? Subject { get; set; }

    /// <summary>Who last set the subject (their nick), shown as the subject message's sender.</summary>
    public string? SubjectBy { get; set; }

    /// <summary>Created on the MUC face and not configured yet: only its owner may enter (XEP-0045 §createroom).</summary>
    public bool Locked { get; set; }

    /// <summary>
    /// Being deleted (destroyed, or a temporary room abandoned). Set in the same step as the check that
    /// decided it, so a join that arrives while the deletion is written is refused, never acknowledged
    /// and then lost with the room.
    /// </summary>
    public bool Removed { get; private set; }

    public void MarkRemoved() => Removed = true;

    /// <summary>item-not-found for anything that would add to a room on its way out.</summary>
    public void RequireNotRemoved()
    {
        if (Removed) throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.ItemNotFound, $"{Jid} no longer exists"));
    }

    // ---- MUC occupants (sessions; not stored) ----

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

    // ---- MIX participants (stored; they outlive sessions) ----

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

    // ---- relays (FMUC mirrors, DMUC2 replicas) ----

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

    // ---- affiliations ----

    /// <summary>
    /// The affiliation of a user: their own entry, else their domain's (XEP-0406 lets the allowed
    /// and banned nodes name whole domains), else none.
    /// </summary>
    public Affiliation AffiliationOf(Jid jid) =>
        Affiliations.TryGetValue(jid.Bare, out var own) ? own
        : Affiliations.TryGetValue(Jid.Create(null, jid.Domain), out var domain) ? domain
        : Affiliation.None;

    public void SetAffiliation(Jid jid, Affiliation affiliation)
    {
        if (affiliation == Affiliation.None) Affiliations.Remove(jid.Bare);
        else Affiliations[jid.Bare] = affiliation;
    }

    public IEnumerable<Jid> WithAffiliation(Affiliation affiliation) =>
        Affiliations.Where(a => a.Value == affiliation).Select(a => a.Key);

    public bool IsBanned(Jid jid) => AffiliationOf(jid) == Affiliation.Outcast;
    public bool IsOwner(Jid jid) => AffiliationOf(jid) == Affiliation.Owner;
    public bool IsAdmin(Jid jid) => AffiliationOf(jid).IsAdminOrOwner();

    /// <summary>Anyone is in the room on some face now (an occupant, or a participant).</summary>
    public bool IsEmpty => _occupants.Count == 0 && _byId.Count == 0;
}
