using System.Xml.Linq;

namespace XmppGroupChat.Archive;

/// <summary>
/// One queued write. The writer completes it only after the transaction that holds it commits
/// (or fails it with that transaction's error), so an acknowledgement always means "on disk".
/// Completions run continuations asynchronously: the writer thread must not run callers' code.
/// </summary>
internal abstract class WriteItem(CancellationToken cancellationToken)
{
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>Called when the item is dequeued already cancelled: nothing was written.</summary>
    public abstract void Cancel();

    public abstract void Fail(Exception exception);

    /// <summary>Called after the commit. A no-op for an operation that already failed on its own.</summary>
    public abstract void Succeed();
}

/// <summary>A message to insert; the writer assigns its position and stamp.</summary>
internal sealed class AppendItem(
    string archive, string id, string sender, string? nick, byte[] stanza, XElement copy, CancellationToken cancellationToken)
    : WriteItem(cancellationToken)
{
    private readonly TaskCompletionSource<ArchivedMessage> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Archive { get; } = archive;
    public string Id { get; } = id;
    public string Sender { get; } = sender;
    public string? Nick { get; } = nick;
    public byte[] Stanza { get; } = stanza;

    /// <summary>Unix ms, set by the writer when it inserts the row.</summary>
    public long Stamp { get; set; }

    public Task<ArchivedMessage> Task => _completion.Task;

    public override void Cancel() => _completion.TrySetCanceled(CancellationToken);

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    public override void Succeed() =>
        _completion.TrySetResult(new ArchivedMessage(Id, DateTimeOffset.FromUnixTimeMilliseconds(Stamp), Sender, Nick, copy));
}

/// <summary>
/// Any other write (room store, retraction, deletion), run by the writer inside the batch's
/// transaction under its own savepoint: if it throws, only its own changes are rolled back and only
/// its caller gets the error.
/// </summary>
internal abstract class OperationItem(CancellationToken cancellationToken) : WriteItem(cancellationToken)
{
    public abstract void Run(ArchiveWriter writer);
}

internal sealed class OperationItem<T>(Func<ArchiveWriter, T> operation, CancellationToken cancellationToken)
    : OperationItem(cancellationToken)
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T _result = default!;

    public Task<T> Task => _completion.Task;

    public override void Run(ArchiveWriter writer) => _result = operation(writer);

    public override void Cancel() => _completion.TrySetCanceled(CancellationToken);

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    public override void Succeed() => _completion.TrySetResult(_result);
}
