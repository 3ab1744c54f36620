namespace XmppGroupChat.Mix.Rooms;

/// <summary>
/// A user's standing in a room, shared by both faces (XEP-0045 affiliations; on the MIX face owners,
/// administrators, the allowed list (member) and the banned list (outcast), XEP-0406).
/// </summary>
public enum Affiliation
{
    None,
    Outcast,
    Member,
    Admin,
    Owner,
}

public static class Affiliations
{
    public static string ToXml(this Affiliation a) => a switch
    {
        Affiliation.Owner => "owner",
        Affiliation.Admin => "admin",
        Affiliation.Member => "member",
        Affiliation.Outcast => "outcast",
        _ => "none",
    };

    public static bool TryParse(string? value, out Affiliation affiliation)
    {
        (var ok, affiliation) = value switch
        {
            "owner" => (true, Affiliation.Owner),
            "admin" => (true, Affiliation.Admin),
            "member" => (true, Affiliation.Member),
            "none" => (true, Affiliation.None),
            "outcast" => (true, Affiliation.Outcast),
            _ => (false, Affiliation.None),
        };
        return ok;
    }

    /// <summary>Owners and admins run the room (XEP-0045 admins, XEP-0406 administrators).</summary>
    public static bool IsAdminOrOwner(this Affiliation a) => a is Affiliation.Admin or Affiliation.Owner;

    /// <summary>On the member list of a members-only room (XEP-0045), the MIX allowed node (XEP-0406).</summary>
    public static bool IsMemberOrAbove(this Affiliation a) => a is Affiliation.Member or Affiliation.Admin or Affiliation.Owner;

    /// <summary>Standing for "nobody acts on someone of higher (or, for admins, equal) standing" (XEP-0045 §modifyrole).</summary>
    public static int Rank(this Affiliation a) => a switch
    {
        Affiliation.Owner => 3,
        Affiliation.Admin => 2,
        Affiliation.Member => 1,
        Affiliation.Outcast => -1,
        _ => 0,
    };
}
