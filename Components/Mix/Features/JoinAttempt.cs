using System.Xml.Linq;
using XmppGroupChat.Mix.Conversation;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Features;

/// <summary>
/// Someone entering a room: on which face, the real user (the one a trusted relay vouched for, when
/// a relay enters for its user), the nick wanted, the request as it came (a MUC join presence or a
/// MIX &lt;join/&gt;), and who they are in the room already.
/// </summary>
public sealed class JoinAttempt(Face face, Jid user, string? nick, XElement request)
{
    public Face Face { get; } = face;
    public Jid User { get; } = user;
    public string? Nick { get; } = nick;
    public XElement Request { get; } = request;

    /// <summary>MUC: the occupant this user already is under the wanted nick (a second client, or a repeated join).</summary>
    public Occupant? ExistingOccupant { get; init; }

    /// <summary>MIX: the participant this user already is (a join again updates it).</summary>
    public Participant? ExistingParticipant { get; init; }

    /// <summary>MIX: set by the members-only rule when a valid invitation admits a user not on the allowed list (XEP-0407).</summary>
    public bool AdmittedByInvitation { get; set; }

    /// <summary>The password a MUC join presents (XEP-0045 §enter-pw).</summary>
    public string? Password => Request.Element(Ns.Muc + "x")?.Element(Ns.Muc + "password")?.Value;
}
