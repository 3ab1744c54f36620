using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Muc;

/// <summary>
/// Where one copy of a room broadcast goes: an occupant's own client, or a relay's room standing
/// for every session behind it (then <see cref="Relay"/> is set, and <see cref="SeesJids"/> holds
/// if any of them may see real JIDs: the relay strips them for the others, as XEP-0282 asks).
/// </summary>
public readonly record struct Listener(Jid Session, bool SeesJids, Relay? Relay = null)
{
    public void Deconstruct(out Jid session, out bool seesJids)
    {
        session = Session;
        seesJids = SeesJids;
    }
}
