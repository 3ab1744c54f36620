namespace XmppGroupChat.Mix.Rooms;

/// <summary>
/// A room's configuration as field var → values, the shape it is stored and exchanged in
/// (data forms), with typed accessors for what the protocol logic reads.
/// </summary>
public sealed class RoomConfig
{
    public const string NameField = "Name";
    public const string DescriptionField = "Description";
    public const string JidVisibilityField = "JID Visibility";
    public const string MandatoryNicksField = "Mandatory Nicks";
    public const string PublicField = "Public";
    public const string AllowedOnlyField = "Allowed Only";
    public const string ParticipantsMayInviteField = "Participants May Invite";
    public const string PersistentField = "Persistent";
    public const string ModeratedField = "Moderated";
    public const string PasswordField = "Password";
    public const string MaxUsersField = "Max Users";
    public const string ChangeSubjectField = "Occupants Change Subject";
    public const string AllowPrivateMessagesField = "Occupant Private Messages";

    private readonly Dictionary<string, IReadOnlyList<string>> _fields;

    public RoomConfig(IReadOnlyDictionary<string, IReadOnlyList<string>>? fields = null) =>
        _fields = fields is null ? new() : new Dictionary<string, IReadOnlyList<string>>(fields);

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Fields => _fields;

    public string? Get(string field) => _fields.TryGetValue(field, out var v) && v.Count > 0 ? v[0] : null;
    public void Set(string field, params string[] values) => _fields[field] = values;

    private bool Flag(string field, bool fallback) => Get(field) switch
    {
        "1" or "true" => true,
        "0" or "false" => false,
        _ => fallback,
    };

    public string? Name => Get(NameField);
    public string? Description => Get(DescriptionField);

    /// <summary>XEP-0406 'JID Visibility': participants see real JIDs only when set to jid-mandatory-visible; admins always do.</summary>
    public bool JidsVisible => Get(JidVisibilityField) == VisibleJids;

    /// <summary>The XEP-0406 value that shows real JIDs to all participants; anything else hides them from non-admins.</summary>
    public const string VisibleJids = "jid-mandatory-visible";

    /// <summary>XEP-0406 'Mandatory Nicks' (default true): a participant must have a nick.</summary>
    public bool MandatoryNicks => Flag(MandatoryNicksField, true);

    /// <summary>
    /// Only JIDs on the allowed list (affiliation member or above) may join: the MIX allowed node
    /// exists, or the MUC room is members-only. Default false.
    /// </summary>
    public bool AllowedOnly => Flag(AllowedOnlyField, false);

    /// <summary>Participants (not only admins) may issue invitations (XEP-0407). Default true.</summary>
    public bool ParticipantsMayInvite => Flag(ParticipantsMayInviteField, true);

    /// <summary>Kept when its last occupant leaves. MIX channels are; MUC rooms are unless configured not to be (default true).</summary>
    public bool Persistent => Flag(PersistentField, true);

    /// <summary>MUC: only occupants with voice (participant or moderator role) may speak.</summary>
    public bool Moderated => Flag(ModeratedField, false);

    /// <summary>MUC: the password to enter, or null.</summary>
    public string? Password => Get(PasswordField) is { Length: > 0 } p ? p : null;

    /// <summary>MUC: the most occupants allowed (owners and admins may always enter); 0 for no limit.</summary>
    public int MaxUsers => int.TryParse(Get(MaxUsersField), out var n) && n > 0 ? n : 0;

    /// <summary>MUC: occupants (not only moderators) may change the subject. Default false.</summary>
    public bool OccupantsChangeSubject => Flag(ChangeSubjectField, false);

    /// <summary>MUC: private messages between occupants are allowed. Default true.</summary>
    public bool AllowPrivateMessages => Flag(AllowPrivateMessagesField, true);

    /// <summary>Listed in the service's disco#items.</summary>
    public bool Public => Flag(PublicField, true);
}
