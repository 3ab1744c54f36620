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
    /// <summary>Notes that a replica was heard from; never claims the stanza.</summary>
    public bool NoteHeard(XElement stanza)
    {
        if (stanza.IsErrorType() || primary.RegistrationOf(stanza) is not { } registration) return false;
        lock (registration.Room.Sync) registration.LastHeard = primary.Now;
        return false;
    }

    public bool IsReplicaBounce(XElement stanza)
    {
        if (!stanza.IsErrorType() || primary.RegistrationOf(stanza) is null) return false;
        var error = StanzaError.FromStanza(stanza)!;
        return DmucPrimary.MeansSplit(error, stanza.GetKind()) || error.Condition == StanzaErrorCondition.ItemNotFound;
    }

    public async ValueTask OnBounceAsync(XElement stanza, CancellationToken ct)
    {
        if (primary.RegistrationOf(stanza) is not { } registration) return;
        var error = StanzaError.FromStanza(stanza)!;
        var from = stanza.GetFrom()!;
        if (DmucPrimary.MeansSplit(error, stanza.GetKind()))
        {
            await primary.Splits.MarkSplitAsync(registration, $"a {stanza.Name.LocalName} to it bounced: {error.Condition.ToXmlName()}", ct);
            return;
        }
        if (from.IsBare)
        {
            await primary.Splits.DropAsync(registration, ct);
            return;
        }
        // The replica does not know this session (any more): it is gone from the room.
        Occupant? occupant;
        lock (registration.Room.Sync) occupant = registration.Room.FindOccupantBySession(from);
        if (occupant != null) await primary.Occupancy.ExitSessionAsync(registration.Room, occupant, from, ct);
    }

    /// <summary>A ping from a replica room to the room (the replica's keepalive): refused unless R is registered and not split.</summary>
    public void OnRoomPing(Room room, Jid from)
    {
        if (from.Local is null || primary.Settings.Find(from.Domain) is null) return;
        var registration = primary.Registry.Find(room, from.Bare)
                           ?? throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable,
                               "this replica is not registered with the room: send replicate"));
        lock (room.Sync)
        {
            if (registration.Split)
                throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable,
                    "this replica was split from the room: send replicate with since and roster"));
            registration.LastHeard = primary.Now;
        }
    }
}
