using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>
/// FMUC addressing (seed 002): a remote room room@muc.alpha.test is reached as
/// room\40muc.alpha.test@mirror.beta.test, its XEP-0106 escape as the localpart of the mirror's
/// domain. Only the canonical escape of a bare room JID is a proxy room; anything else is refused
/// with the condition that says why.
/// </summary>
public static class ProxyAddress
{
    /// <summary>The proxy room bare JID of <paramref name="masterRoom"/> on <paramref name="mirrorDomain"/>.</summary>
    public static Jid Of(Jid masterRoom, Jid mirrorDomain) =>
        Jid.Create(JidEscaping.Escape(masterRoom.Bare.ToString()), mirrorDomain.Domain);

    /// <summary>
    /// Reads the master room a proxy address stands for. Returns null with the master room, or
    /// the error to answer: jid-malformed when the localpart does not unescape to a bare room JID,
    /// item-not-found when it names a service rather than a room, not-acceptable when it names
    /// the mirror's own domain (a mirror of itself would loop).
    /// </summary>
    public static StanzaError? TryReadMaster(Jid address, Jid mirrorDomain, out Jid masterRoom)
    {
        masterRoom = null!;
        if (address.Local is null)
            return StanzaError.Of(StanzaErrorCondition.ItemNotFound, "address a room as its escaped JID at this mirror");
        var unescaped = JidEscaping.Unescape(address.Local);
        if (!Jid.TryParse(unescaped, out var room) || !room.IsBare)
            return StanzaError.Of(StanzaErrorCondition.JidMalformed, $"'{address.Local}' is not the XEP-0106 escape of a bare room JID");
        if (room.Local is null)
            return StanzaError.Of(StanzaErrorCondition.ItemNotFound, $"{room} is a service, not a room");
        if (string.Equals(room.Domain, mirrorDomain.Domain, StringComparison.Ordinal))
            return StanzaError.Of(StanzaErrorCondition.NotAcceptable, "this mirror does not mirror its own addresses");
        // One room, one proxy address: a second spelling would split its state and its fan-out.
        if (!string.Equals(JidEscaping.Escape(room.ToString()), address.Local, StringComparison.Ordinal))
            return StanzaError.Of(StanzaErrorCondition.JidMalformed, $"'{address.Local}' is not the canonical escape of {room}; use {JidEscaping.Escape(room.ToString())}");
        masterRoom = room;
        return null;
    }
}
