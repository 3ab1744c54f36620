using System.Xml.Linq;
using XmppGroupChat.Mix.Muc;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Dmuc;

/// <summary>
/// The primary's trust rule for an enter made by a replica (wire contract 2): a presence from
/// R/&lt;sid&gt; carrying &lt;x xmlns='urn:xmpp:tmp:dmuc:0'&gt;&lt;user jid/&gt;&lt;/x&gt; enters that user only if
/// R's domain is in Dmuc:Replicas, the user's domain is the one that replica Serves, and R has
/// registered with the room. Anything else is refused with forbidden (or not-acceptable for an
/// enter before the registration), saying why. The room then judges the real user.
/// </summary>
public sealed class TrustedReplicas(DmucSettings settings, ReplicaRegistry registry, RoomRegistry rooms) : IRelayVouching
{
    public RelayedSession? Recognise(XElement presence, Jid from)
    {
        if (presence.Element(Ns.Dmuc + "x")?.Element(Ns.Dmuc + "user") is not { } user) return null;
        var trusted = settings.Find(from.Domain)
                      ?? throw Refuse(StanzaErrorCondition.Forbidden, $"{from.Domain} is not a trusted DMUC2 replica of this room host");
        if (from.Local is null || from.IsBare)
            throw Refuse(StanzaErrorCondition.BadRequest, "a replica enters from its replica room's address, with one resource per session");
        if (!Jid.TryParse((string?)user.Attribute("jid"), out var real) || real.Local is null || real.IsBare)
            throw Refuse(StanzaErrorCondition.JidMalformed, "the dmuc user element must name the real user's full JID");
        if (!string.Equals(real.Domain, trusted.Serves, StringComparison.OrdinalIgnoreCase))
            throw Refuse(StanzaErrorCondition.Forbidden, $"{trusted.Domain} may vouch for users of {trusted.Serves} only, not {real.Domain}");
        var room = rooms.Find(presence.GetTo()!) is { Removed: false } r ? r : throw Refuse(StanzaErrorCondition.ItemNotFound, "no such room");
        if (registry.Find(room, from.Bare) is null)
            throw Refuse(StanzaErrorCondition.NotAcceptable, "this replica has not registered with the room: send replicate first");
        return new RelayedSession(new Relay(from.Bare, RelayKind.Replica), real);
    }

    private static StanzaErrorException Refuse(StanzaErrorCondition condition, string why) => new(StanzaError.Of(condition, why));
}
