using System.Text;
using System.Xml.Linq;
using XmppGroupChat.Archive;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Benchmarks;

/// <summary>
/// Realistic groupchat messages for the archive benchmarks, as a MIX channel reflects them: from the
/// channel (participant id), xml:lang, a body of 120–280 characters (some non-ASCII), origin-id and
/// &lt;mix&gt; nick/jid. About 400 bytes each in the stored form. Fixed seed: the same on every run.
/// </summary>
public static class ArchiveMessages
{
    public const int Senders = 100;

    private static readonly string[] Words =
    [
        "the", "a", "meeting", "is", "at", "noon", "tomorrow", "please", "review", "patch", "ok", "thanks",
        "server", "room", "deploy", "lunch", "anyone", "seen", "this", "bug", "before", "yes", "no", "maybe",
        "I", "think", "we", "should", "ship", "it", "today", "logs", "look", "fine", "here", "what", "about",
        "café", "Grüße", "🎉", "R&D", "a < b",
    ];

    public static string Sender(int i) => $"user{i % Senders}@example.org";

    public static MessageDraft[] Build(int count, string room, int seed = 20251121)
    {
        var r = new Random(seed);
        var drafts = new MessageDraft[count];
        var body = new StringBuilder(300);
        for (var i = 0; i < count; i++)
        {
            var sender = Sender(r.Next(Senders));
            var nick = sender[..sender.IndexOf('@')];
            body.Clear();
            var length = 120 + r.Next(160);
            while (body.Length < length)
                body.Append(Words[r.Next(Words.Length)]).Append(' ');
            var stanza = new XElement(Ns.Component + "message",
                new XAttribute("from", $"{room}/{r.NextInt64():x12}"),
                new XAttribute("to", $"{nick}@example.org/phone"),
                new XAttribute("id", r.NextInt64().ToString("x16")),
                new XAttribute("type", "groupchat"),
                new XAttribute(XNamespace.Xml + "lang", "en"),
                new XElement(Ns.Component + "body", body.ToString(0, body.Length - 1)),
                new XElement(Ns.StanzaId + "origin-id", new XAttribute("id", Guid.NewGuid().ToString())),
                new XElement(Ns.MixCore + "mix",
                    new XElement(Ns.MixCore + "nick", nick),
                    new XElement(Ns.MixCore + "jid", sender)));
            drafts[i] = new MessageDraft(sender, nick, stanza);
        }
        return drafts;
    }
}
