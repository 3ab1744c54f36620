using System.Xml.Linq;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using XmppGroupChat.Archive;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Archive;

/// <summary>
/// A temporary directory per test for archive files, the archives opened in it (disposed after the
/// test), and realistic groupchat messages. The directory is deleted after the test.
/// </summary>
public abstract class ArchiveTestBase
{
    protected const string Room = "room@mix.test";
    protected const string OtherRoom = "other@mix.test";

    private readonly List<SqliteArchive> _opened = [];

    protected string Directory { get; private set; } = "";

    protected string DbPath => Path.Combine(Directory, "archive.db");

    [SetUp]
    public void CreateDirectory()
    {
        Directory = Path.Combine(Path.GetTempPath(), "archive-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    [TearDown]
    public async Task DeleteDirectory()
    {
        foreach (var archive in _opened)
            await archive.DisposeAsync();
        _opened.Clear();
        // Connections are not pooled by the archive; raw test connections are cleared here.
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    protected async Task<SqliteArchive> OpenAsync(string? path = null, SqliteArchiveOptions? options = null)
    {
        var archive = await SqliteArchive.OpenAsync(path ?? DbPath, NullLogger.Instance, options ?? new SqliteArchiveOptions());
        _opened.Add(archive);
        return archive;
    }

    /// <summary>A groupchat message as a MIX channel reflects it: body, origin-id, mix nick/jid, xml:lang.</summary>
    protected static XElement Message(int n, string sender = "alice@test", string room = Room)
    {
        var message = Stanza.Message(Jid.Parse(room + "/" + sender.Split('@')[0]), Jid.Parse("reader@test"), "groupchat",
            $"message {n}: <tags> & \"quotes\" and ünïcödé 🎉", "m" + n);
        message.SetAttributeValue(XNamespace.Xml + "lang", "en");
        message.Add(new XElement(Ns.StanzaId + "origin-id", new XAttribute("id", "origin-" + n)));
        message.Add(new XElement(Ns.MixCore + "mix",
            new XElement(Ns.MixCore + "nick", sender.Split('@')[0]),
            new XElement(Ns.MixCore + "jid", sender)));
        return message;
    }

    protected static MessageDraft Draft(int n, string sender = "alice@test", string room = Room) =>
        new(sender, sender.Split('@')[0], Message(n, sender, room));

    /// <summary>Appends messages one after another (so their order is the archive's order) and returns them.</summary>
    protected static async Task<List<ArchivedMessage>> AppendSequentiallyAsync(SqliteArchive archive, string room, int count,
        Func<int, string>? sender = null, int first = 0)
    {
        var list = new List<ArchivedMessage>();
        for (var i = first; i < first + count; i++)
            list.Add(await archive.AppendAsync(room, Draft(i, sender?.Invoke(i) ?? "alice@test", room)));
        return list;
    }

    /// <summary>Every message of an archive, read in pages of 1000.</summary>
    protected static async Task<List<ArchivedMessage>> ReadAllAsync(SqliteArchive archive, string room, string? with = null)
    {
        var all = new List<ArchivedMessage>();
        string? after = null;
        while (true)
        {
            var page = await archive.QueryAsync(room, new ArchiveQuery(With: with, After: after, Max: 1000));
            all.AddRange(page.Messages);
            if (page.Complete)
                return all;
            after = page.Messages[^1].Id;
        }
    }

    protected static SqliteConnection RawConnection(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    protected static IEnumerable<string> Ids(IEnumerable<ArchivedMessage> messages) => messages.Select(m => m.Id);
}
