namespace XmppGroupChat.Mix.Conversation;

/// <summary>A room going away on purpose (XEP-0045 §destroyroom, XEP-0369 §destroy): why, and where to go instead.</summary>
public sealed record Destruction(string? Reason = null, string? AlternateVenue = null);
