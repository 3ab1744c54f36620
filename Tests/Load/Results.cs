using XmppGroupChat.Tests.Integration.Infrastructure;

namespace XmppGroupChat.Load;

/// <summary>One measured window: rates over the window, checks over the whole phase.</summary>
public sealed record PhaseResult
{
    /// <summary>Groupchat messages the senders sent per second in the window.</summary>
    public required double OfferedPerSecond { get; init; }
    /// <summary>Copies received by occupants per second in the window (the headline number).</summary>
    public required double DeliveredPerSecond { get; init; }
    public required long Sent { get; init; }
    /// <summary>Copies still missing after the drain: sent × occupants − received.</summary>
    public required long Missing { get; init; }
    public required long Errors { get; init; }
    /// <summary>Occupants that received fewer copies than messages were sent (each must get every one).</summary>
    public required int ShortOccupants { get; init; }
    /// <summary>Average bytes of one delivered copy on the occupant's stream.</summary>
    public double? BytesPerCopy { get; init; }
    public required int LatencySamples { get; init; }
    public double? P50Ms { get; init; }
    public double? P99Ms { get; init; }
    public double? ComponentCores { get; init; }
    public double? ServerCores { get; init; }
    public required double DriverCores { get; init; }
    /// <summary>CPU used by everything else on the machine in the window (other people's work, the kernel's softirqs).</summary>
    public required double OtherCores { get; init; }
}

public sealed record TargetResult(ServerKind Server, TargetKind Target)
{
    /// <summary>Why the target was not measured (for our MUC face before it accepts joins).</summary>
    public string? Unavailable { get; init; }
    /// <summary>Why the measurement broke off (a fault, as opposed to <see cref="Unavailable"/>).</summary>
    public string? Failed { get; init; }
    public PhaseResult? Saturation { get; init; }
    /// <summary>The latency run: at half the saturated rate, or at --rate.</summary>
    public PhaseResult? Paced { get; init; }
}
