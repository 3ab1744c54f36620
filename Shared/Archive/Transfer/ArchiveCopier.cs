namespace XmppGroupChat.Archive;

/// <summary>Where a copy is: what it is doing and how far it got.</summary>
public sealed record ArchiveCopyProgress(string Stage, string? Archive, long Copied, long Total);

/// <summary>What a finished copy verified: per archive the messages on each side, and the room and relay state.</summary>
public sealed record ArchiveCopyReport(
    IReadOnlyList<(string Archive, long Source, long Target)> Archives,
    int Rooms,
    int Nicks,
    int RelayRooms,
    IReadOnlyList<string> Mismatches)
{
    public bool Verified => Mismatches.Count == 0;

    public long Messages => Archives.Sum(a => a.Target);
}

/// <summary>
/// Copies a whole archive from one engine to another (the admin command <c>migrate-archive</c>):
/// rooms, participants, registered nicks, relayed rooms and every message with its id, stamp,
/// sender and tombstone, in archive order. Resumable: room and relay state are upserts, and each
/// message archive continues after the last message the target already holds (checked to be the same
/// message at the same position in the source), so running the command again after an interruption
/// finishes the job without doubles. Messages go over in batches of 1,000, each one commit. At the
/// end the counts on both sides are compared. The source should not be written to meanwhile (stop
/// the program first): messages arriving during the copy may be missed, and are reported by the check.
/// </summary>
public static class ArchiveCopier
{
    private const int Batch = 1000;

    public static async Task<ArchiveCopyReport> CopyAsync(IArchiveStore from, IArchiveStore to, IProgress<ArchiveCopyProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (from is not IArchiveTransfer source || to is not IArchiveTransfer target)
            throw new ArgumentException("Both archives must be opened by ArchiveEngines.");

        var rooms = await from.LoadRoomsAsync(cancellationToken).ConfigureAwait(false);
        progress?.Report(new ArchiveCopyProgress("rooms", null, 0, rooms.Count));
        foreach (var room in rooms)
        {
            await to.SaveRoomAsync(room, cancellationToken).ConfigureAwait(false);
            foreach (var participant in room.Participants)
                await to.SaveParticipantAsync(room.Jid, participant, cancellationToken).ConfigureAwait(false);
        }
        var nicks = await from.LoadRegisteredNicksAsync(cancellationToken).ConfigureAwait(false);
        progress?.Report(new ArchiveCopyProgress("nicks", null, 0, nicks.Count));
        foreach (var (jid, nick) in nicks)
            await to.SaveRegisteredNickAsync(jid, nick, cancellationToken).ConfigureAwait(false);
        var relayed = await from.LoadRelayRoomsAsync(cancellationToken).ConfigureAwait(false);
        progress?.Report(new ArchiveCopyProgress("relayed rooms", null, 0, relayed.Count));
        foreach (var room in relayed)
        {
            await to.SaveRelayRoomAsync(room.Room, room.State, cancellationToken).ConfigureAwait(false);
            foreach (var kind in room.Entries.GroupBy(e => e.Kind))
                await to.ReplaceRelayEntriesAsync(room.Room, kind.Key, kind.ToList(), cancellationToken).ConfigureAwait(false);
        }

        var names = await source.ListArchivesAsync(cancellationToken).ConfigureAwait(false);
        foreach (var name in names)
            await CopyMessagesAsync(from, to, target, name, progress, cancellationToken).ConfigureAwait(false);

        return await VerifyAsync(from, to, names, cancellationToken).ConfigureAwait(false);
    }

    private static async Task CopyMessagesAsync(IArchiveStore from, IArchiveStore to, IArchiveTransfer target, string archive,
        IProgress<ArchiveCopyProgress>? progress, CancellationToken cancellationToken)
    {
        var total = (await from.QueryAsync(archive, new ArchiveQuery(Max: 0), cancellationToken).ConfigureAwait(false)).Count;
        long copied = (await to.QueryAsync(archive, new ArchiveQuery(Max: 0), cancellationToken).ConfigureAwait(false)).Count;
        string? after = null;
        if (copied > 0)
        {
            // Resuming: the target's last message must be the source's message at the same position.
            var last = (await to.QueryAsync(archive, new ArchiveQuery(Before: "", Max: 1), cancellationToken).ConfigureAwait(false)).Messages[0];
            long position;
            try
            {
                position = await PositionOfAsync(from, archive, last.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (ArchiveItemNotFoundException)
            {
                position = -1;
            }
            if (position != copied - 1)
                throw new InvalidOperationException(
                    $"The target's archive {archive} does not match the source up to its {copied} messages (its last, {last.Id}, is not the source's message {copied - 1}): it is not an earlier copy of this source.");
            after = last.Id;
        }
        progress?.Report(new ArchiveCopyProgress("messages", archive, copied, total));
        while (true)
        {
            var page = await from.QueryAsync(archive, new ArchiveQuery(After: after, Max: Batch), cancellationToken).ConfigureAwait(false);
            if (page.Messages.Count > 0)
            {
                await target.ImportMessagesAsync(archive, copied, page.Messages, cancellationToken).ConfigureAwait(false);
                copied += page.Messages.Count;
                after = page.Messages[^1].Id;
                progress?.Report(new ArchiveCopyProgress("messages", archive, copied, Math.Max(total, copied)));
            }
            if (page.Complete)
                return;
        }
    }

    /// <summary>The 0-based position of a message in its archive (the first index of a one-message page starting at it).</summary>
    private static async Task<long> PositionOfAsync(IArchiveStore archive, string name, string id, CancellationToken cancellationToken)
    {
        var page = await archive.QueryAsync(name, new ArchiveQuery(Before: id, Max: 1), cancellationToken).ConfigureAwait(false);
        return page.Messages.Count == 0 ? 0 : page.FirstIndex!.Value + 1;
    }

    private static async Task<ArchiveCopyReport> VerifyAsync(IArchiveStore from, IArchiveStore to, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        var mismatches = new List<string>();
        var archives = new List<(string, long, long)>();
        foreach (var name in names)
        {
            var source = await from.QueryAsync(name, new ArchiveQuery(Before: "", Max: 1), cancellationToken).ConfigureAwait(false);
            var target = await to.QueryAsync(name, new ArchiveQuery(Before: "", Max: 1), cancellationToken).ConfigureAwait(false);
            archives.Add((name, source.Count, target.Count));
            if (source.Count != target.Count)
                mismatches.Add($"{name}: {source.Count} messages in the source, {target.Count} in the target");
            else if (source.Messages.Count > 0 && source.Messages[0].Id != target.Messages[0].Id)
                mismatches.Add($"{name}: the last messages differ ({source.Messages[0].Id} and {target.Messages[0].Id})");
        }
        var rooms = await from.LoadRoomsAsync(cancellationToken).ConfigureAwait(false);
        var targetRooms = (await to.LoadRoomsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Jid);
        foreach (var room in rooms)
        {
            if (!targetRooms.TryGetValue(room.Jid, out var copy))
                mismatches.Add($"room {room.Jid} is missing from the target");
            else if (!room.Participants.Select(p => p.Id).Order().SequenceEqual(copy.Participants.Select(p => p.Id).Order()))
                mismatches.Add($"room {room.Jid}: {room.Participants.Count} participants in the source, {copy.Participants.Count} in the target");
        }
        var nicks = await from.LoadRegisteredNicksAsync(cancellationToken).ConfigureAwait(false);
        var targetNicks = await to.LoadRegisteredNicksAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (jid, nick) in nicks)
        {
            if (!targetNicks.TryGetValue(jid, out var copied) || copied != nick)
                mismatches.Add($"the nick of {jid} is not in the target");
        }
        var relayed = await from.LoadRelayRoomsAsync(cancellationToken).ConfigureAwait(false);
        var targetRelayed = (await to.LoadRelayRoomsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Room);
        foreach (var room in relayed)
        {
            if (!targetRelayed.TryGetValue(room.Room, out var copy))
                mismatches.Add($"relayed room {room.Room} is missing from the target");
            else if (room.Entries.Count != copy.Entries.Count)
                mismatches.Add($"relayed room {room.Room}: {room.Entries.Count} entries in the source, {copy.Entries.Count} in the target");
        }
        return new ArchiveCopyReport(archives, rooms.Count, nicks.Count, relayed.Count, mismatches);
    }
}
