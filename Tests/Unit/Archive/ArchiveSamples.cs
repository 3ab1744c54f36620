using System.Xml.Linq;
using XmppGroupChat.Archive;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Archive;

/// <summary>Realistic groupchat messages for the archive tests, and helpers to write and read them.</summary>
public static class ArchiveSamples
{
    public const string Room = "room@mix.test";
    public const string OtherRoom = "other@mix.test";

    /// <summary>A groupchat message as a MIX channel reflects it: body, origin-id, mix nick/jid, xml:lang.</summary>
    public static XElement Message(int n, string sender = "alice@test", string room = Room)
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

    public static MessageDraft Draft(int n, string sender = "alice@test", string room = Room) =>
        new(sender, sender.Split('@')[0], Message(n, sender, room));

    /// <summary>Appends messages one after another (so their order is the archive's order) and returns them.</summary>
    public static async Task<List<ArchivedMessage>> AppendSequentiallyAsync(IMessageArchive archive, string room, int count,
        Func<int, string>? sender = null, int first = 0)
    {
        var list = new List<ArchivedMessage>();
        for (var i = first; i < first + count; i++)
            list.Add(await archive.AppendAsync(room, Draft(i, sender?.Invoke(i) ?? "alice@test", room)));
        return list;
    }

    /// <summary>Every message of an archive, read in pages of 1000.</summary>
    public static async Task<List<ArchivedMessage>> ReadAllAsync(IMessageArchive archive, string room, string? with = null)
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

    public static IEnumerable<string> Ids(IEnumerable<ArchivedMessage> messages) => messages.Select(m => m.Id);
}
