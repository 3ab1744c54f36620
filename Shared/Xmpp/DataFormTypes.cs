namespace XmppGroupChat.Xmpp;

/// <summary>Values of the form 'type' attribute (XEP-0004 §3.1).</summary>
public static class DataFormType
{
    public const string Form = "form";
    public const string Submit = "submit";
    public const string Result = "result";
    public const string Cancel = "cancel";

    public static bool IsValid(string? type) => type is Form or Submit or Result or Cancel;
}

/// <summary>Values of the field 'type' attribute (XEP-0004 §3.3).</summary>
public static class DataFormFieldType
{
    public const string Boolean = "boolean";
    public const string Fixed = "fixed";
    public const string Hidden = "hidden";
    public const string JidMulti = "jid-multi";
    public const string JidSingle = "jid-single";
    public const string ListMulti = "list-multi";
    public const string ListSingle = "list-single";
    public const string TextMulti = "text-multi";
    public const string TextPrivate = "text-private";
    public const string TextSingle = "text-single";

    /// <summary>Types that XEP-0004 allows more than one &lt;value/&gt; for.</summary>
    public static bool IsMultiValued(string? type) => type is JidMulti or ListMulti or TextMulti or Hidden;

    /// <summary>Types that XEP-0004 limits to one &lt;value/&gt;.</summary>
    public static bool IsSingleValued(string? type) => type is Boolean or Fixed or JidSingle or ListSingle or TextPrivate or TextSingle;

    public static bool IsList(string? type) => type is ListMulti or ListSingle;
}
