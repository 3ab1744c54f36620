namespace XmppGroupChat.DmucReplica.Dmuc;

/// <summary>What changed in the room roster across a split, as local users must be told it.</summary>
/// <param name="Gone">Occupants the replica showed that are no longer in the room.</param>
/// <param name="Changed">Occupants new to the replica, or whose presence changed, in the primary's order.</param>
public sealed record RosterChanges(IReadOnlyList<RosterEntry> Gone, IReadOnlyList<RosterEntry> Changed);

/// <summary>The replica's side of a netjoin's roster reconciliation: the primary's roster replaces the copy; the difference is announced.</summary>
public static class RosterReconcile
{
    public static RosterChanges Diff(IReadOnlyDictionary<string, RosterEntry> held, IReadOnlyDictionary<string, RosterEntry> fresh)
    {
        var gone = held.Values.Where(e => !fresh.ContainsKey(e.Nick)).ToList();
        var changed = fresh.Values.Where(e => !held.TryGetValue(e.Nick, out var before) || !before.SameAs(e)).ToList();
        return new RosterChanges(gone, changed);
    }
}
