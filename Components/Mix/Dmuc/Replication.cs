using System.Xml.Linq;
using XmppGroupChat.Archive;
using XmppGroupChat.Mix.Muc;
using XmppGroupChat.Mix.Rooms;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Dmuc;

/// <summary>
/// &lt;replicate/&gt; (wire contract 1 and 7): a replica on the allow-list registers with a room, or
/// registers again after a split or a restart. With a &lt;roster/&gt; of its sessions the room is
/// reconciled first (<see cref="Reconciliation"/>). Then the replica gets, in order: one presence per
/// occupant, the subject (always, empty if none), the history (after 'since', else the newest
/// 'history' messages), and the result naming the newest message sent. From then on it gets every
/// broadcast for its users. Everything goes straight onto the link, in this order.
/// </summary>
public sealed class Replication(DmucPrimary primary)
{
    public const int DefaultHistory = 50;
    public const int MaxHistory = 500;

    /// <summary>After a long split the replica catches up at most this many messages; older ones stay in MAM.</summary>
    public const int MaxCatchUp = 1000;

    private MucService Muc => primary.Muc;

    public async ValueTask<XElement?> OnReplicateAsync(XElement iq, CancellationToken ct)
    {
        var from = iq.GetFrom()!;
        var trusted = primary.Settings.Find(from.Domain);
        if (trusted is null)
        {
            RoomHostLog.Refused(primary.Logger, "replicate", from.ToString(), "not in Dmuc:Replicas");
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.Forbidden, $"{from.Domain} is not a trusted DMUC2 replica of this room host"));
        }
        var room = Muc.RequireRoom(iq);
        var roomJid = Muc.RoomJid(room);
        if (from.Local is null || !from.IsBare || !string.Equals(JidEscaping.Unescape(from.Local), roomJid.ToString(), StringComparison.OrdinalIgnoreCase))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.BadRequest,
                $"a replica of {roomJid} registers from {JidEscaping.Escape(roomJid.ToString())}@{from.Domain}"));
        var request = iq.GetPayload()!;
        var history = int.TryParse((string?)request.Attribute("history"), out var h) ? Math.Clamp(h, 0, MaxHistory) : DefaultHistory;
        var since = (string?)request.Attribute("since");

        var registration = primary.Registry.GetOrAdd(room, from, trusted);
        registration.Split = false;
        registration.PingInFlight = false;
        registration.LastHeard = primary.Now;
        room.SplitRelays.Remove(registration.Address);
        var (restored, removed) = request.Element(Ns.Dmuc + "roster") is { } roster
            ? await new Reconciliation(primary).ApplyAsync(registration, roster, ct)
            : (0, 0);
        await primary.Splits.RestoreAsync(registration, ct);

        await SendRosterAsync(room, registration.Address, ct);
        await SendSubjectAsync(room, registration.Address, ct);
        var (sent, last) = await SendHistoryAsync(room, registration.Address, since, history, ct);
        RoomHostLog.Registered(primary.Logger, from.ToString(), roomJid.ToString(), restored, removed, sent);
        var result = new XElement(Ns.Dmuc + "replicated");
        if (last != null) result.SetAttributeValue("last", last);
        return result;
    }

    private async ValueTask SendRosterAsync(Room room, Jid replica, CancellationToken ct)
    {
        var sees = DmucPrimary.ReplicaSeesJids(room, replica);
        var presences = room.Occupants.Where(o => o.Sessions.Count > 0)
            .Select(o => OccupantPresence.Build(Muc, room, o, o.Sessions.Values.Last(), sees))
            .Concat(primary.Participants.CurrentPresences(room, sees)).ToList();
        foreach (var p in presences)
        {
            p.SetAttributeValue("to", replica.ToString());
            await Muc.Sender.SendAsync(p, ct);
        }
    }

    private async ValueTask SendSubjectAsync(Room room, Jid replica, CancellationToken ct)
    {
        var message = primary.Occupancy.SubjectMessage(room);
        message.SetAttributeValue("to", replica.ToString());
        await Muc.Sender.SendAsync(message, ct);
    }

    private async ValueTask<(int Sent, string? Last)> SendHistoryAsync(Room room, Jid replica, string? since, int history, CancellationToken ct)
    {
        var messages = await HistoryAsync(room, since, history, ct);
        string? last = null;
        var sent = 0;
        foreach (var m in messages)
        {
            if (m.Retracted) continue;
            var copy = MucFace.ForOccupants(Muc, room, m, DmucPrimary.ReplicaSeesJids(room, replica));
            copy.Add(ReplicaCopy.DmucElement(m, copy));
            copy.SetAttributeValue("to", replica.ToString());
            await Muc.Sender.SendAsync(copy, ct);
            last = m.Id;
            sent++;
        }
        return (sent, last);
    }

    /// <summary>Everything after 'since' (up to <see cref="MaxCatchUp"/>), or, without it or when it is unknown, the newest <paramref name="history"/>.</summary>
    private async Task<List<ArchivedMessage>> HistoryAsync(Room room, string? since, int history, CancellationToken ct)
    {
        var archive = room.Jid.ToString();
        if (since != null)
        {
            try
            {
                var all = new List<ArchivedMessage>();
                var after = since;
                while (all.Count < MaxCatchUp)
                {
                    var page = await Muc.Conversation.Archive.QueryAsync(archive, new ArchiveQuery(After: after, Max: Math.Min(100, MaxCatchUp - all.Count)), ct);
                    all.AddRange(page.Messages);
                    if (page.Complete || page.Messages.Count == 0) break;
                    after = page.Messages[^1].Id;
                }
                return all;
            }
            catch (ArchiveItemNotFoundException)
            {
                // The replica holds an id this archive does not know (another room's, or deleted history): start afresh.
            }
        }
        if (history == 0) return [];
        return (await Muc.Conversation.Archive.QueryAsync(archive, new ArchiveQuery(Before: "", Max: history), ct)).Messages.ToList();
    }
}
