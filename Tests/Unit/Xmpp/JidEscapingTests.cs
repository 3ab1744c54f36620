using NUnit.Framework;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Xmpp;

[TestFixture]
public class JidEscapingTests
{
    // XEP-0106 §5.1 "JID Examples" (localparts only; the table shows spaces as non-breaking for layout).
    [TestCase("space cadet", @"space\20cadet")]
    [TestCase("call me \"ishmael\"", @"call\20me\20\22ishmael\22")]
    [TestCase("at&t guy", @"at\26t\20guy")]
    [TestCase("d'artagnan", @"d\27artagnan")]
    [TestCase("/.fanboy", @"\2f.fanboy")]
    [TestCase("::foo::", @"\3a\3afoo\3a\3a")]
    [TestCase("<foo>", @"\3cfoo\3e")]
    [TestCase("user@host", @"user\40host")]
    [TestCase(@"c:\net", @"c\3a\net")]
    [TestCase(@"c:\\net", @"c\3a\\net")]
    [TestCase(@"c:\cool stuff", @"c\3a\cool\20stuff")]
    [TestCase(@"c:\5commas", @"c\3a\5c5commas")]
    // XEP-0106 §5.2 and §5.5-5.7: email, IMPS and IRC addresses.
    [TestCase("here's_a_wild_&_/cr%zy/_address", @"here\27s_a_wild_\26_\2fcr%zy\2f_address")]
    [TestCase("here's_a_wild_&_/cr%zy/_address_for:<wv>(\"IMPS\")", @"here\27s_a_wild_\26_\2fcr%zy\2f_address_for\3a\3cwv\3e(\22IMPS\22)")]
    [TestCase(@"\3and\2is\5cool", @"\5c3and\2is\5c5cool")]
    [TestCase("somenick!user\"&'/:<>\\3address", @"somenick!user\22\26\27\2f\3a\3c\3e\5c3address")]
    public void Escape_And_Unescape_FollowTheXepExamples(string human, string wire)
    {
        Assert.Multiple(() =>
        {
            Assert.That(JidEscaping.Escape(human), Is.EqualTo(wire));
            Assert.That(JidEscaping.Unescape(wire), Is.EqualTo(human));
            Assert.That(JidEscaping.Unescape(JidEscaping.Escape(human)), Is.EqualTo(human));
        });
    }

    [TestCase(@"\2plus\2is\4")]
    [TestCase(@"foo\bar")]
    [TestCase(@"foob\41r")]
    [TestCase(@"upper\2Fcase")]
    [TestCase(@"trailing\")]
    [TestCase(@"short\4")]
    public void PartialOrUnknownSequences_AreLeftAlone(string localpart)
    {
        Assert.Multiple(() =>
        {
            Assert.That(JidEscaping.Escape(localpart), Is.EqualTo(localpart));
            Assert.That(JidEscaping.Unescape(localpart), Is.EqualTo(localpart));
        });
    }

    [Test]
    public void Unescape_FmucProxyAddress()
    {
        Assert.Multiple(() =>
        {
            Assert.That(JidEscaping.Unescape(@"room\40muc.remote"), Is.EqualTo("room@muc.remote"));
            Assert.That(JidEscaping.Unescape(@"jabberchat\40talk.example.com"), Is.EqualTo("jabberchat@talk.example.com"));
        });
    }

    [Test]
    public void Escape_RoomJid_GivesFmucProxyLocalpart()
    {
        var room = Jid.Parse("jabberchat@talk.example.com");

        var proxy = Jid.Create(JidEscaping.Escape(room.ToString()), "mirror.remote.example.com");

        Assert.That(proxy.ToString(), Is.EqualTo(@"jabberchat\40talk.example.com@mirror.remote.example.com"));
    }

    [TestCase("room@muc.remote")]
    [TestCase("a b\\c\"d&e'f/g:h<i>j@k")]
    [TestCase(@"\5c\20\40")]
    [TestCase("plain")]
    [TestCase("")]
    public void RoundTrip_PreservesText_AndGivesAValidLocalpart(string human)
    {
        var escaped = JidEscaping.Escape(human);

        Assert.Multiple(() =>
        {
            Assert.That(JidEscaping.Unescape(escaped), Is.EqualTo(human));
            if (human.Length > 0)
                Assert.That(() => Jid.Create(escaped, "example.com"), Throws.Nothing);
        });
    }

    [Test]
    public void Escape_WithoutSpecialCharacters_ReturnsSameInstance()
    {
        const string plain = "coven";

        Assert.Multiple(() =>
        {
            Assert.That(JidEscaping.Escape(plain), Is.SameAs(plain));
            Assert.That(JidEscaping.Unescape(plain), Is.SameAs(plain));
        });
    }

    [TestCase(" leading")]
    [TestCase("trailing ")]
    [TestCase(" ")]
    public void Escape_LeadingOrTrailingSpace_Throws(string localpart)
    {
        Assert.That(() => JidEscaping.Escape(localpart), Throws.ArgumentException.With.Message.Contains("space"));
    }

    [Test]
    public void Null_Throws()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => JidEscaping.Escape(null!), Throws.ArgumentNullException);
            Assert.That(() => JidEscaping.Unescape(null!), Throws.ArgumentNullException);
        });
    }
}
