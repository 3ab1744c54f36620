using Microsoft.Extensions.Logging.Abstractions;
using XmppGroupChat.Archive;

namespace XmppGroupChat.Tests.Unit.Archive.Engines;

/// <summary>
/// The process the kill -9 tests kill: <c>dotnet XmppGroupChat.Tests.Unit.dll archive-writer ENGINE:TARGET</c>
/// opens the archive through the programs' own factory, stores a room with a participant and a nick,
/// prints <c>ready</c>, then appends for ever with 64 appends in flight and prints
/// <c>acked ID N</c> for each one acknowledged (N is in its body). Every line is flushed at once, so
/// a line the test has read was acknowledged before the kill.
/// </summary>
public static class ArchiveWriterChild
{
    public const string Command = "archive-writer";
    public const string ChildRoom = "crash@mix.test";

    public static int Main(string[] args)
    {
        if (args.Length != 2 || args[0] != Command)
        {
            Console.Error.WriteLine($"usage: {Command} ENGINE:TARGET (this assembly is otherwise a test library)");
            return 2;
        }
        RunAsync(ArchiveLocation.Parse(args[1])).GetAwaiter().GetResult();
        return 0;
    }

    private static async Task RunAsync(ArchiveLocation location)
    {
        var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        var archive = await ArchiveEngines.OpenAsync(location, NullLoggerFactory.Instance);
        await archive.SaveRoomAsync(RoomStoreContract.RoomRecord(ChildRoom));
        await archive.SaveParticipantAsync(ChildRoom, RoomStoreContract.Participant("p1", "alice@test"));
        await archive.SaveRegisteredNickAsync("alice@test", "Alice");
        await output.WriteLineAsync("ready");
        var gate = new object();
        using var inFlight = new SemaphoreSlim(64);
        for (var n = 0; ; n++)
        {
            await inFlight.WaitAsync();
            var number = n;
            _ = archive.AppendAsync(ChildRoom, ArchiveSamples.Draft(number, number % 3 == 0 ? "bob@test" : "alice@test", ChildRoom)).AsTask()
                .ContinueWith(t =>
                {
                    if (t.IsCompletedSuccessfully)
                    {
                        lock (gate)
                            output.WriteLine($"acked {t.Result.Id} {number}");
                    }
                    inFlight.Release();
                }, TaskScheduler.Default);
        }
    }
}
