using System.Xml.Linq;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Xmpp;

[TestFixture]
public sealed class HistoryRequestTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    private static XElement History(string attributes) => XElement.Parse($"<history xmlns='http://jabber.org/protocol/muc' {attributes}/>");

    [Test]
    public void No_element_takes_the_default_count_and_no_limits()
    {
        var r = HistoryRequest.Parse(null, 20, Now);
        Assert.That(r, Is.EqualTo(new HistoryRequest(20, null, null)));
        Assert.That(r.WantsNone, Is.False);
    }

    [Test]
    public void Seconds_and_since_keep_the_later_bound()
    {
        Assert.That(HistoryRequest.Parse(History("seconds='60' since='2026-11-21T11:00:00Z'"), 20, Now).Since, Is.EqualTo(Now.AddSeconds(-60)));
        Assert.That(HistoryRequest.Parse(History("seconds='7200' since='2026-11-21T11:30:00Z'"), 20, Now).Since,
            Is.EqualTo(new DateTimeOffset(2026, 11, 21, 11, 30, 0, TimeSpan.Zero)));
    }

    [Test]
    public void Zero_stanzas_or_zero_chars_want_nothing_and_nonsense_is_ignored()
    {
        Assert.That(HistoryRequest.Parse(History("maxstanzas='0'"), 20, Now).WantsNone, Is.True);
        Assert.That(HistoryRequest.Parse(History("maxchars='0'"), 20, Now).WantsNone, Is.True);
        Assert.That(HistoryRequest.Parse(History("maxstanzas='many' since='yesterday'"), 20, Now), Is.EqualTo(new HistoryRequest(20, null, null)));
    }

    [Test]
    public void Maxchars_keeps_the_newest_messages_that_fit()
    {
        var messages = Enumerable.Range(1, 4).Select(i => new XElement("m", new string('x', 10 + i))).ToList();
        var sizes = messages.Select(m => m.ToString(SaveOptions.DisableFormatting).Length).ToList();
        var r = new HistoryRequest(20, sizes[3] + sizes[2], null);
        Assert.That(r.WithinMaxChars(messages), Is.EqualTo(messages.Skip(2).ToList()));
        Assert.That(new HistoryRequest(20, null, null).WithinMaxChars(messages), Is.EqualTo(messages));
        Assert.That(new HistoryRequest(20, sizes[3] - 1, null).WithinMaxChars(messages), Is.Empty);
    }
}
