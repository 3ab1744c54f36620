using System.Text;

namespace XmppGroupChat.Benchmarks;

/// <summary>
/// A deterministic component stream (fixed seed: identical bytes on every run) carrying a
/// realistic stanza mix: ~45% groupchat messages, ~25% presences, ~20% IQs, ~10% MAM results.
/// </summary>
public static class StanzaCorpus
{
    public const string Header =
        "<stream:stream xmlns='jabber:component:accept' xmlns:stream='http://etherx.jabber.org/streams' id='x' from='mix.localhost'>";
    public const string Footer = "</stream:stream>";

    private static readonly string[] Words =
    [
        "the", "a", "meeting", "is", "at", "noon", "tomorrow", "please", "review", "patch", "ok", "thanks",
        "server", "room", "deploy", "lunch", "anyone", "seen", "this", "bug", "before", "yes", "no", "maybe",
        "I", "think", "we", "should", "ship", "it", "today", "logs", "look", "fine", "here", "what", "about",
    ];
    private static readonly string[] NonAscii =
        ["café", "naïve", "Grüße", "日本語", "привет", "ελληνικά", "🎉", "👍🏽", "🚀", "😂", "mañana", "Zürich"];
    private static readonly string[] Escapes = ["R&D", "a < b", "<3", "x > y && y > z", "Q&A", "<b>bold</b>"];
    private static readonly string[] Nicks = ["alice", "bob", "carol", "dave", "eve", "frank", "grace", "heidi", "ivan", "judy"];
    private static readonly string[] Features =
    [
        "http://jabber.org/protocol/disco#info", "http://jabber.org/protocol/disco#items", "urn:xmpp:ping",
        "http://jabber.org/protocol/muc", "http://jabber.org/protocol/muc#stable_id", "urn:xmpp:mam:2",
        "urn:xmpp:mam:2#extended", "urn:xmpp:sid:0", "urn:xmpp:mix:core:1", "urn:xmpp:mix:core:1#searchable",
        "muc_public", "muc_persistent", "muc_open", "muc_semianonymous", "muc_unmoderated", "jabber:iq:version",
        "vcard-temp", "urn:xmpp:occupant-id:0",
    ];

    /// <summary>The whole stream as UTF-8: header, <paramref name="stanzas"/> stanzas, closing tag.</summary>
    public static byte[] Build(int stanzas, int seed = 20251121)
    {
        var r = new Random(seed);
        var sb = new StringBuilder(stanzas * 700);
        sb.Append(Header);
        for (var i = 0; i < stanzas; i++)
        {
            var p = r.NextDouble();
            if (p < 0.45) GroupchatMessage(sb, r, i);
            else if (p < 0.70) Presence(sb, r, i);
            else if (p < 0.90) Iq(sb, r, i);
            else MamResult(sb, r, i);
        }
        sb.Append(Footer);
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static string Nick(Random r) => Nicks[r.Next(Nicks.Length)];
    private static string Room(Random r) => "room" + r.Next(8) + "@mix.localhost";
    private static string User(Random r, string nick) => $"{nick}@example.org/res-{r.Next(1000):x3}";
    private static string Id(Random r) => r.NextInt64().ToString("x16");
    private static string Stamp(Random r) => new DateTime(2025, 11, 1, 0, 0, 0).AddSeconds(r.Next(3_000_000)).ToString("yyyy-MM-ddTHH:mm:ssZ");

    /// <summary>Escaped body text of about <paramref name="length"/> characters.</summary>
    private static string Body(Random r, int length)
    {
        var nonAscii = r.NextDouble() < 0.3;
        var escapes = r.NextDouble() < 0.2;
        var sb = new StringBuilder(length + 16);
        while (sb.Length < length)
        {
            if (sb.Length > 0) sb.Append(' ');
            var q = r.NextDouble();
            var word = nonAscii && q < 0.15 ? NonAscii[r.Next(NonAscii.Length)]
                : escapes && q > 0.93 ? Escapes[r.Next(Escapes.Length)]
                : Words[r.Next(Words.Length)];
            sb.Append(word);
        }
        return sb.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").ToString();
    }

    private static void GroupchatMessage(StringBuilder sb, Random r, int i)
    {
        var nick = Nick(r);
        var room = Room(r);
        sb.Append($"<message from='{room}/{nick}' to='{User(r, Nick(r))}' type='groupchat' id='m{i}' xml:lang='en'>");
        sb.Append($"<body>{Body(r, r.Next(20, 401))}</body>");
        sb.Append($"<origin-id xmlns='urn:xmpp:sid:0' id='{Id(r)}'/>");
        if (r.NextDouble() < 0.5) sb.Append($"<stanza-id xmlns='urn:xmpp:sid:0' id='{Id(r)}' by='{room}'/>");
        if (r.NextDouble() < 0.15) sb.Append($"<delay xmlns='urn:xmpp:delay' from='{room}' stamp='{Stamp(r)}'/>");
        if (r.NextDouble() < 0.3)
            sb.Append($"<mix xmlns='urn:xmpp:mix:core:1'><nick>{nick}</nick><jid>{nick}@example.org</jid></mix>");
        sb.Append("</message>");
    }

    private static void Presence(StringBuilder sb, Random r, int i)
    {
        var nick = Nick(r);
        var room = Room(r);
        var caps = $"<c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://conversations.im' ver='{Id(r)}{Id(r)}='/>";
        switch (r.Next(4))
        {
            case 0: // MUC join
                sb.Append($"<presence from='{User(r, nick)}' to='{room}/{nick}' id='p{i}'>");
                sb.Append("<x xmlns='http://jabber.org/protocol/muc'><history maxstanzas='20'/></x>");
                sb.Append(caps).Append("</presence>");
                break;
            case 1: // occupant presence, self-presence with status 110 sometimes
                sb.Append($"<presence from='{room}/{nick}' to='{User(r, Nick(r))}' id='p{i}'>");
                sb.Append(caps);
                sb.Append("<x xmlns='http://jabber.org/protocol/muc#user'>");
                sb.Append($"<item affiliation='{(r.Next(3) == 0 ? "owner" : "member")}' role='participant' jid='{User(r, nick)}'/>");
                if (r.Next(3) == 0) sb.Append("<status code='110'/><status code='100'/>");
                sb.Append("</x></presence>");
                break;
            case 2: // away with status text
                sb.Append($"<presence from='{User(r, nick)}' to='{room}/{nick}' id='p{i}'>");
                sb.Append($"<show>{(r.Next(2) == 0 ? "away" : "dnd")}</show><status>{Body(r, r.Next(10, 60))}</status>");
                sb.Append(caps).Append("</presence>");
                break;
            default: // leave
                sb.Append($"<presence from='{User(r, nick)}' to='{room}/{nick}' type='unavailable' id='p{i}'/>");
                break;
        }
    }

    private static void Iq(StringBuilder sb, Random r, int i)
    {
        var user = User(r, Nick(r));
        var room = Room(r);
        switch (r.Next(5))
        {
            case 0:
                sb.Append($"<iq from='{user}' to='{room}' type='get' id='q{i}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
                break;
            case 1:
                sb.Append($"<iq from='{room}' to='{user}' type='result' id='q{i}'><query xmlns='http://jabber.org/protocol/disco#info'>");
                sb.Append("<identity category='conference' type='text' name='Team room'/>");
                if (r.Next(2) == 0) sb.Append("<identity category='conference' type='mix' name='Team room'/>");
                foreach (var f in Features) sb.Append($"<feature var='{f}'/>");
                sb.Append("</query></iq>");
                break;
            case 2:
                sb.Append($"<iq from='{user}' to='mix.localhost' type='get' id='q{i}'><ping xmlns='urn:xmpp:ping'/></iq>");
                break;
            case 3:
                sb.Append($"<iq from='mix.localhost' to='{user}' type='result' id='q{i}'/>");
                break;
            default: // MAM query with form and RSM
                sb.Append($"<iq from='{user}' to='{room}' type='set' id='q{i}'><query xmlns='urn:xmpp:mam:2' queryid='{Id(r)}'>");
                sb.Append("<x xmlns='jabber:x:data' type='submit'>");
                sb.Append("<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:mam:2</value></field>");
                sb.Append($"<field var='with'><value>{Nick(r)}@example.org</value></field>");
                sb.Append($"<field var='start'><value>{Stamp(r)}</value></field></x>");
                sb.Append($"<set xmlns='http://jabber.org/protocol/rsm'><max>{r.Next(10, 101)}</max><before>{Id(r)}</before></set>");
                sb.Append("</query></iq>");
                break;
        }
    }

    private static void MamResult(StringBuilder sb, Random r, int i)
    {
        var nick = Nick(r);
        var room = Room(r);
        var archived = Id(r);
        sb.Append($"<message from='{room}' to='{User(r, Nick(r))}' id='r{i}'>");
        sb.Append($"<result xmlns='urn:xmpp:mam:2' queryid='{Id(r)}' id='{archived}'>");
        sb.Append("<forwarded xmlns='urn:xmpp:forward:0'>");
        sb.Append($"<delay xmlns='urn:xmpp:delay' stamp='{Stamp(r)}'/>");
        sb.Append($"<message xmlns='jabber:client' from='{room}/{nick}' type='groupchat' id='{Id(r)}' xml:lang='en'>");
        sb.Append($"<body>{Body(r, r.Next(200, 1201))}</body>");
        sb.Append($"<origin-id xmlns='urn:xmpp:sid:0' id='{Id(r)}'/><stanza-id xmlns='urn:xmpp:sid:0' id='{archived}' by='{room}'/>");
        sb.Append("<x xmlns='http://jabber.org/protocol/muc#user'><item jid='").Append(nick).Append("@example.org'/></x>");
        sb.Append("</message></forwarded></result></message>");
    }
}
