using System.Xml.Linq;

namespace XmppGroupChat.Archive;

/// <summary>
/// One queued write. The engine's batch writer completes it only after the transaction that holds
/// it commits (or fails it with that transaction's error), so an acknowledgement always means
/// "durable". Completions run continuations asynchronously: the writer thread must not run callers' code.
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

/// <summary>A message to insert; the batch writer assigns its position and stamp.</summary>
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

    /// <summary>Unix ms, set by the batch writer when it writes the message.</summary>
    public long Stamp { get; set; }

    public Task<ArchivedMessage> Task => _completion.Task;

    /// <summary>Builds the item for <paramref name="message"/> on the caller's thread: the id, the stored form and the copy the caller gets back.</summary>
    public static AppendItem For(string archive, MessageDraft message, CancellationToken cancellationToken) => new(
        archive,
        ArchiveIds.New(),
        message.SenderBareJid,
        message.SenderNick,
        StoredStanza.Encode(message.Stanza),
        StoredStanza.Copy(message.Stanza),
        cancellationToken);

    public override void Cancel() => _completion.TrySetCanceled(CancellationToken);

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    public override void Succeed() =>
        _completion.TrySetResult(new ArchivedMessage(Id, DateTimeOffset.FromUnixTimeMilliseconds(Stamp), Sender, Nick, copy));
}

/// <summary>
/// Any other write (room store, relay store, retraction, deletion), run by the batch writer inside
/// the batch's transaction. If it fails on its own (a taken nick, a missing room), the engine undoes
/// its changes only and only its caller gets the error; see each engine's batch writer for how.
/// </summary>
internal abstract class OperationItem(CancellationToken cancellationToken) : WriteItem(cancellationToken)
{
    public abstract void Run();
}

internal sealed class OperationItem<T>(Func<T> operation, CancellationToken cancellationToken) : OperationItem(cancellationToken)
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T _result = default!;

    public Task<T> Task => _completion.Task;

    public override void Run() => _result = operation();

    public override void Cancel() => _completion.TrySetCanceled(CancellationToken);

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    public override void Succeed() => _completion.TrySetResult(_result);
}
