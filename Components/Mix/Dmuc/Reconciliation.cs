using System.Xml.Linq;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Dmuc;

/// <summary>
/// The primary's side of a netjoin's roster reconciliation (wire contract 7): the replica lists its
/// local sessions (user, nick, sid). Sessions the room has for that replica but the list lacks left
/// during the split: they leave now (the others see it). Listed sessions the room lacks (it
/// restarted, or dropped them) enter again through the ordinary enter, so bans, members-only and
/// nick conflicts are judged again; a refusal goes to R/&lt;sid&gt; and the replica puts that user out.
/// </summary>
public sealed class Reconciliation(DmucPrimary primary)
{
    public async ValueTask<(int Restored, int Removed)> ApplyAsync(ReplicaRegistration registration, XElement roster, CancellationToken ct)
    {
        var room = registration.Room;
        var listed = new Dictionary<string, (Jid User, string Nick)>(StringComparer.Ordinal);
        foreach (var user in roster.Elements(Ns.Dmuc + "user"))
        {
            if (!Jid.TryParse((string?)user.Attribute("jid"), out var jid) || (string?)user.Attribute("nick") is not { Length: > 0 } nick
                || (string?)user.Attribute("sid") is not { Length: > 0 } sid)
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest, "each roster user needs jid, nick and sid"));
            listed[sid] = (jid, nick);
        }

        var behind = DmucPrimary.SessionsBehind(room, registration.Address);
        var removed = 0;
        foreach (var (occupant, session) in behind)
        {
            var keep = session.Resource is { } sid && listed.TryGetValue(sid, out var l) && l.Nick == occupant.Nick
                       && l.User.Equals(occupant.RealJidOf(session));
            if (keep) continue;
            await primary.Occupancy.ExitSessionAsync(room, occupant, session, ct);
            removed++;
        }

        var restored = 0;
        foreach (var (sid, (user, nick)) in listed)
        {
            if (room.FindOccupantBySession(registration.Address.WithResource(sid)) != null) continue;
            // The ordinary enter, as if the replica had just sent it: the room judges the user again,
            // here on the room's executor, and a refusal goes back to R/<sid> as it would have.
            var enter = Stanza.Presence(registration.Address.WithResource(sid), Jid.Parse(primary.Muc.OccupantJid(room, nick)));
            enter.Add(new XElement(Ns.Muc + "x"), new XElement(Ns.Dmuc + "x", new XElement(Ns.Dmuc + "user", new XAttribute("jid", user.ToString()))));
            try
            {
                await primary.Occupancy.OnPresenceAsync(enter, ct);
            }
            catch (StanzaErrorException refused)
            {
                await primary.Muc.Sender.SendAsync(enter.ErrorReply(refused.Error), ct);
            }
            restored++;
        }
        return (restored, removed);
    }
}
