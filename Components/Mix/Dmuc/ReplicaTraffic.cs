using System.Xml.Linq;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Dmuc;

/// <summary>
/// What the primary learns from a replica's traffic: anything from R or R/&lt;sid&gt; means R is there
/// (the keepalive waits); a bounce that means R is out of reach marks the split (XEP-0282: a
/// stanza with type=error from the replica); item-not-found means R no longer holds the room (or
/// that session). A ping from R to the room is refused while R is not registered or is split, so
/// a replica that missed the split registers again.
/// </summary>
public sealed class ReplicaTraffic(DmucPrimary primary)
{
    /// <summary>Notes that a replica was heard from (an observer: it sees every stanza, takes none).</summary>
    public void NoteHeard(XElement stanza)
    {
        if (!stanza.IsErrorType() && primary.RegistrationOf(stanza) is { } registration) registration.LastHeard = primary.Now;
    }

    /// <summary>
    /// A bounce from a replica, taken here if it is one this primary acts on (a split, or the replica no
    /// longer holding the room or a session); false for any other error, which the room handles itself.
    /// </summary>
    public async ValueTask<bool> TryHandleBounceAsync(XElement stanza, CancellationToken ct)
    {
        if (primary.RegistrationOf(stanza) is not { } registration) return false;
        var error = StanzaError.FromStanza(stanza);
        if (error is null) return false;
        var from = stanza.GetFrom()!;
        if (DmucPrimary.MeansSplit(error, stanza.GetKind()))
        {
            await primary.Splits.MarkSplitAsync(registration, $"a {stanza.Name.LocalName} to it bounced: {error.Condition.ToXmlName()}", ct);
            return true;
        }
        if (error.Condition != StanzaErrorCondition.ItemNotFound) return false;
        if (from.IsBare)
        {
            await primary.Splits.DropAsync(registration, ct);
            return true;
        }
        // The replica does not know this session (any more): it is gone from the room.
        if (registration.Room.FindOccupantBySession(from) is { } occupant)
            await primary.Occupancy.ExitSessionAsync(registration.Room, occupant, from, ct);
        return true;
    }

    /// <summary>A ping from a replica room to the room (the replica's keepalive): refused unless R is registered and not split.</summary>
    public void OnRoomPing(Room room, Jid from)
    {
        if (from.Local is null || primary.Settings.Find(from.Domain) is null) return;
        var registration = primary.Registry.Find(room, from.Bare)
                           ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable,
                               "this replica is not registered with the room: send replicate"));
        if (registration.Split)
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable,
                "this replica was split from the room: send replicate with since and roster"));
        registration.LastHeard = primary.Now;
    }
}
