using NUnit.Framework;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Xmpp;

[TestFixture]
public class XmppDateTimeTests
{
    private static readonly DateTimeOffset MoonLanding = new(1969, 7, 21, 2, 56, 15, TimeSpan.Zero);

    [Test]
    public void Format_WholeSeconds_HasNoFraction()
    {
        Assert.That(XmppDateTime.Format(MoonLanding), Is.EqualTo("1969-07-21T02:56:15Z"));
    }

    [Test]
    public void Format_Milliseconds_WhenNotZero()
    {
        Assert.That(XmppDateTime.Format(MoonLanding.AddMilliseconds(7)), Is.EqualTo("1969-07-21T02:56:15.007Z"));
    }

    [Test]
    public void Format_DropsSubMillisecondPrecision()
    {
        Assert.Multiple(() =>
        {
            Assert.That(XmppDateTime.Format(MoonLanding.AddTicks(1234)), Is.EqualTo("1969-07-21T02:56:15Z"));
            Assert.That(XmppDateTime.Format(MoonLanding.AddTicks(1_234_567)), Is.EqualTo("1969-07-21T02:56:15.123Z"));
        });
    }

    [Test]
    public void Format_ConvertsToUtc()
    {
        var houston = new DateTimeOffset(1969, 7, 20, 21, 56, 15, TimeSpan.FromHours(-5));

        Assert.That(XmppDateTime.Format(houston), Is.EqualTo("1969-07-21T02:56:15Z"));
    }

    [Test]
    public void Parse_XepExamples()
    {
        // XEP-0082: the first steps on the Moon in UTC and in Houston time.
        Assert.Multiple(() =>
        {
            Assert.That(XmppDateTime.Parse("1969-07-21T02:56:15Z"), Is.EqualTo(MoonLanding));
            Assert.That(XmppDateTime.Parse("1969-07-20T21:56:15-05:00"), Is.EqualTo(MoonLanding));
            Assert.That(XmppDateTime.Parse("1969-07-20T21:56:15-05:00").Offset, Is.EqualTo(TimeSpan.Zero));
        });
    }

    [TestCase("2002-09-10T23:08:25.1Z", 1_000_000)]
    [TestCase("2002-09-10T23:08:25.123Z", 1_230_000)]
    [TestCase("2002-09-10T23:08:25.1234567Z", 1_234_567)]
    [TestCase("2002-09-10T23:08:25.123456789123Z", 1_234_567)]
    [TestCase("2002-09-10T23:08:25.000Z", 0)]
    public void Parse_FractionalSecondsOfAnyLength(string text, long ticks)
    {
        var expected = new DateTimeOffset(2002, 9, 10, 23, 8, 25, TimeSpan.Zero).AddTicks(ticks);

        Assert.That(XmppDateTime.Parse(text), Is.EqualTo(expected));
    }

    [TestCase("2002-09-11T05:08:25+05:30", "2002-09-10T23:38:25Z")]
    [TestCase("2002-09-10T23:08:25+00:00", "2002-09-10T23:08:25Z")]
    [TestCase("2002-09-10T23:08:25.5-14:00", "2002-09-11T13:08:25.500Z")]
    [TestCase("2002-09-10t23:08:25z", "2002-09-10T23:08:25Z")]
    [TestCase("2000-02-29T00:00:00Z", "2000-02-29T00:00:00Z")]
    public void Parse_NumericOffsets_AreConvertedToUtc(string text, string utc)
    {
        Assert.That(XmppDateTime.Format(XmppDateTime.Parse(text)), Is.EqualTo(utc));
    }

    [TestCase("")]
    [TestCase("1776-07-04")]
    [TestCase("16:00:00")]
    [TestCase("1969-07-21T02:56Z")]
    [TestCase("1969-07-21T02:56:15")]
    [TestCase("1969-07-21 02:56:15Z")]
    [TestCase("1969-13-21T02:56:15Z")]
    [TestCase("1969-00-21T02:56:15Z")]
    [TestCase("1969-02-29T02:56:15Z")]
    [TestCase("1969-07-21T24:00:00Z")]
    [TestCase("1969-07-21T02:60:15Z")]
    [TestCase("1969-07-21T02:56:60Z")]
    [TestCase("1969-07-21T02:56:15.Z")]
    [TestCase("1969-07-21T02:56:15+5:00")]
    [TestCase("1969-07-21T02:56:15+05")]
    [TestCase("1969-07-21T02:56:15+15:00")]
    [TestCase("1969-07-21T02:56:15+05:60")]
    [TestCase("1969-07-21T02:56:15Z ")]
    [TestCase("69-07-21T02:56:15Z")]
    [TestCase("0000-01-01T00:00:00Z")]
    [TestCase("0001-01-01T00:00:00+01:00")]
    [TestCase("１９６９-07-21T02:56:15Z")]
    public void Parse_Invalid_Throws(string text)
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => XmppDateTime.Parse(text), Throws.TypeOf<FormatException>().With.Message.Contains("XEP-0082"));
            Assert.That(XmppDateTime.TryParse(text, out _), Is.False);
        });
    }

    [Test]
    public void TryParse_NullIsFalse_AndParseNullThrows()
    {
        Assert.Multiple(() =>
        {
            Assert.That(XmppDateTime.TryParse(null, out _), Is.False);
            Assert.That(() => XmppDateTime.Parse(null!), Throws.ArgumentNullException);
        });
    }

    [Test]
    public void TryParse_Valid()
    {
        Assert.Multiple(() =>
        {
            Assert.That(XmppDateTime.TryParse("1990-10-13T23:58:37Z", out var stamp), Is.True);
            Assert.That(stamp, Is.EqualTo(new DateTimeOffset(1990, 10, 13, 23, 58, 37, TimeSpan.Zero)));
        });
    }

    [Test]
    public void FormatThenParse_RoundTripsToTheMillisecond()
    {
        var now = new DateTimeOffset(2024, 2, 29, 12, 34, 56, 789, TimeSpan.FromHours(2));

        Assert.That(XmppDateTime.Parse(XmppDateTime.Format(now)), Is.EqualTo(now));
    }
}
