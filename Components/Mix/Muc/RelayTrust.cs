using System.Xml.Linq;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Muc;

/// <summary>
/// Recognises a join made by a relay (FMUC mirror, DMUC replica) on behalf of one of its users.
/// Returns null when the stanza is not such a join or comes from a peer this one does not trust
/// (it is then an ordinary occupant); throws a stanza error when a trusted peer claims what it may not.
/// </summary>
public interface IRelayVouching
{
    RelayedSession? Recognise(XElement presence, Jid from);
}

/// <summary>
/// Every kind of relay this room host trusts, asked in turn. A component cannot send with its
/// users' from (XEP-0114), so relays name the real user inside their own element and the room
/// host believes it only from peers it is configured to trust.
/// </summary>
public sealed class RelayTrust(IReadOnlyList<IRelayVouching> vouchers)
{
    private readonly IReadOnlyList<IRelayVouching> _vouchers = vouchers;

    public RelayedSession? Recognise(XElement presence, Jid from)
    {
        foreach (var v in _vouchers)
            if (v.Recognise(presence, from) is { } relayed) return relayed;
        return null;
    }
}
