namespace XmppGroupChat.Mix.Conversation;

/// <summary>
/// Users were made outcasts (XEP-0045 §ban, the MIX banned node): on which face, by whom (their nick,
/// when they are in the room) and why. Every face takes whoever is now banned out of its view.
/// </summary>
public sealed record Ban(Face Origin, string? ActorNick, string? Reason);
