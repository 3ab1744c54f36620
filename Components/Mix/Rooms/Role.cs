namespace XmppGroupChat.Mix.Rooms;

/// <summary>An occupant's role in a MUC room for the length of its visit (XEP-0045 §roles).</summary>
public enum Role
{
    None,
    Visitor,
    Participant,
    Moderator,
}

public static class Roles
{
    public static string ToXml(this Role r) => r switch
    {
        Role.Moderator => "moderator",
        Role.Participant => "participant",
        Role.Visitor => "visitor",
        _ => "none",
    };

    public static bool TryParse(string? value, out Role role)
    {
        (var ok, role) = value switch
        {
            "moderator" => (true, Role.Moderator),
            "participant" => (true, Role.Participant),
            "visitor" => (true, Role.Visitor),
            "none" => (true, Role.None),
            _ => (false, Role.None),
        };
        return ok;
    }

    /// <summary>Moderators and participants may speak in a moderated room; visitors may not.</summary>
    public static bool HasVoice(this Role r) => r is Role.Participant or Role.Moderator;
}
