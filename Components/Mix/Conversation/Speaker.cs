using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Conversation;

/// <summary>
/// Who said something in a room, whatever the face: a MIX participant (its stable participant id) or
/// a MUC occupant (its occupant id), with the nick it spoke under and its real bare JID.
/// </summary>
public sealed record Speaker(string Id, string? Nick, Jid BareJid);
