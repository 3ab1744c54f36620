namespace XmppGroupChat.Xmpp;

/// <summary>The 'type' of a stanza error (RFC 6120 §8.3.2): what the sender should do about it.</summary>
public enum StanzaErrorType
{
    Auth,
    Cancel,
    Continue,
    Modify,
    Wait,
}

/// <summary>The defined stanza error conditions of RFC 6120 §8.3.3.</summary>
public enum StanzaErrorCondition
{
    BadRequest,
    Conflict,
    FeatureNotImplemented,
    Forbidden,
    Gone,
    InternalServerError,
    ItemNotFound,
    JidMalformed,
    NotAcceptable,
    NotAllowed,
    NotAuthorized,
    PolicyViolation,
    RecipientUnavailable,
    Redirect,
    RegistrationRequired,
    RemoteServerNotFound,
    RemoteServerTimeout,
    ResourceConstraint,
    ServiceUnavailable,
    SubscriptionRequired,
    UndefinedCondition,
    UnexpectedRequest,
}

/// <summary>Wire names of error types and conditions, and the customary type for each condition.</summary>
public static class StanzaErrorNames
{
    // Indexed by the enum value; the order must match the enum declaration.
    private static readonly string[] ConditionNames =
    [
        "bad-request", "conflict", "feature-not-implemented", "forbidden", "gone", "internal-server-error",
        "item-not-found", "jid-malformed", "not-acceptable", "not-allowed", "not-authorized", "policy-violation",
        "recipient-unavailable", "redirect", "registration-required", "remote-server-not-found",
        "remote-server-timeout", "resource-constraint", "service-unavailable", "subscription-required",
        "undefined-condition", "unexpected-request",
    ];

    // The types RFC 6120 §8.3.3 uses in its examples (XEP-0086 where RFC 6120 gives none).
    private static readonly StanzaErrorType[] DefaultTypes =
    [
        StanzaErrorType.Modify, // bad-request
        StanzaErrorType.Cancel, // conflict
        StanzaErrorType.Cancel, // feature-not-implemented
        StanzaErrorType.Auth, // forbidden
        StanzaErrorType.Cancel, // gone
        StanzaErrorType.Cancel, // internal-server-error
        StanzaErrorType.Cancel, // item-not-found
        StanzaErrorType.Modify, // jid-malformed
        StanzaErrorType.Modify, // not-acceptable
        StanzaErrorType.Cancel, // not-allowed
        StanzaErrorType.Auth, // not-authorized
        StanzaErrorType.Modify, // policy-violation
        StanzaErrorType.Wait, // recipient-unavailable
        StanzaErrorType.Modify, // redirect
        StanzaErrorType.Auth, // registration-required
        StanzaErrorType.Cancel, // remote-server-not-found
        StanzaErrorType.Wait, // remote-server-timeout
        StanzaErrorType.Wait, // resource-constraint
        StanzaErrorType.Cancel, // service-unavailable
        StanzaErrorType.Auth, // subscription-required
        StanzaErrorType.Cancel, // undefined-condition
        StanzaErrorType.Wait, // unexpected-request
    ];

    private static readonly Dictionary<string, StanzaErrorCondition> ConditionsByName = BuildConditionIndex();

    public static string ToXmlName(this StanzaErrorCondition condition) => ConditionNames[CheckedIndex(condition)];

    public static string ToXmlName(this StanzaErrorType type) => type switch
    {
        StanzaErrorType.Auth => "auth",
        StanzaErrorType.Cancel => "cancel",
        StanzaErrorType.Continue => "continue",
        StanzaErrorType.Modify => "modify",
        StanzaErrorType.Wait => "wait",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown stanza error type."),
    };

    public static StanzaErrorType DefaultType(this StanzaErrorCondition condition) => DefaultTypes[CheckedIndex(condition)];

    public static bool TryParseCondition(string? name, out StanzaErrorCondition condition)
    {
        if (name is not null && ConditionsByName.TryGetValue(name, out condition))
            return true;
        condition = StanzaErrorCondition.UndefinedCondition;
        return false;
    }

    public static bool TryParseType(string? name, out StanzaErrorType type)
    {
        switch (name)
        {
            case "auth": type = StanzaErrorType.Auth; return true;
            case "cancel": type = StanzaErrorType.Cancel; return true;
            case "continue": type = StanzaErrorType.Continue; return true;
            case "modify": type = StanzaErrorType.Modify; return true;
            case "wait": type = StanzaErrorType.Wait; return true;
            default: type = StanzaErrorType.Cancel; return false;
        }
    }

    private static int CheckedIndex(StanzaErrorCondition condition)
    {
        int i = (int)condition;
        if ((uint)i >= (uint)ConditionNames.Length)
            throw new ArgumentOutOfRangeException(nameof(condition), condition, "Unknown stanza error condition.");
        return i;
    }

    private static Dictionary<string, StanzaErrorCondition> BuildConditionIndex()
    {
        var index = new Dictionary<string, StanzaErrorCondition>(ConditionNames.Length, StringComparer.Ordinal);
        for (int i = 0; i < ConditionNames.Length; i++)
            index.Add(ConditionNames[i], (StanzaErrorCondition)i);
        return index;
    }
}
