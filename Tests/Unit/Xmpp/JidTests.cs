using NUnit.Framework;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Xmpp;

[TestFixture]
public class JidTests
{
    [Test]
    public void Parse_FullJid_SplitsParts()
    {
        var jid = Jid.Parse("hag66@shakespeare.example/intibo24");

        Assert.Multiple(() =>
        {
            Assert.That(jid.Local, Is.EqualTo("hag66"));
            Assert.That(jid.Domain, Is.EqualTo("shakespeare.example"));
            Assert.That(jid.Resource, Is.EqualTo("intibo24"));
            Assert.That(jid.IsBare, Is.False);
            Assert.That(jid.IsDomain, Is.False);
        });
    }

    [Test]
    public void Parse_BareJid_HasNoResource()
    {
        var jid = Jid.Parse("coven@mix.shakespeare.example");

        Assert.Multiple(() =>
        {
            Assert.That(jid.Local, Is.EqualTo("coven"));
            Assert.That(jid.Domain, Is.EqualTo("mix.shakespeare.example"));
            Assert.That(jid.Resource, Is.Null);
            Assert.That(jid.IsBare, Is.True);
            Assert.That(jid.IsDomain, Is.False);
        });
    }

    [Test]
    public void Parse_DomainJid_IsDomain()
    {
        var jid = Jid.Parse("mix.shakespeare.example");

        Assert.Multiple(() =>
        {
            Assert.That(jid.Local, Is.Null);
            Assert.That(jid.Domain, Is.EqualTo("mix.shakespeare.example"));
            Assert.That(jid.IsDomain, Is.True);
            Assert.That(jid.IsBare, Is.True);
        });
    }

    [Test]
    public void Parse_DomainWithResource_IsNeitherBareNorDomain()
    {
        var jid = Jid.Parse("example.com/component");

        Assert.Multiple(() =>
        {
            Assert.That(jid.Local, Is.Null);
            Assert.That(jid.Resource, Is.EqualTo("component"));
            Assert.That(jid.IsDomain, Is.False);
            Assert.That(jid.IsBare, Is.False);
        });
    }

    [Test]
    public void Parse_ResourceMayContainSlashAndAt()
    {
        var jid = Jid.Parse("user@example.com/a/b@c");

        Assert.Multiple(() =>
        {
            Assert.That(jid.Local, Is.EqualTo("user"));
            Assert.That(jid.Domain, Is.EqualTo("example.com"));
            Assert.That(jid.Resource, Is.EqualTo("a/b@c"));
        });
    }

    [Test]
    public void Parse_AtSignAfterFirstSlash_BelongsToResource()
    {
        var jid = Jid.Parse("example.com/nick@elsewhere");

        Assert.Multiple(() =>
        {
            Assert.That(jid.Local, Is.Null);
            Assert.That(jid.Domain, Is.EqualTo("example.com"));
            Assert.That(jid.Resource, Is.EqualTo("nick@elsewhere"));
        });
    }

    [Test]
    public void Parse_LowerCasesLocalAndDomainButNotResource()
    {
        var jid = Jid.Parse("Romeo@Montague.NET/Orchard");

        Assert.Multiple(() =>
        {
            Assert.That(jid.Local, Is.EqualTo("romeo"));
            Assert.That(jid.Domain, Is.EqualTo("montague.net"));
            Assert.That(jid.Resource, Is.EqualTo("Orchard"));
            Assert.That(jid.ToString(), Is.EqualTo("romeo@montague.net/Orchard"));
        });
    }

    [Test]
    public void Parse_LowerCasesNonAsciiLocalpart()
    {
        Assert.That(Jid.Parse("ÄBC@example.com").Local, Is.EqualTo("äbc"));
    }

    [Test]
    public void Parse_NonAsciiDomain_IsAccepted()
    {
        var jid = Jid.Parse("jüliet@例え.jp");

        Assert.That(jid.Domain, Is.EqualTo("例え.jp"));
    }

    [Test]
    public void Parse_StripsOneTrailingDotFromDomain()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Jid.Parse("user@example.com.").Domain, Is.EqualTo("example.com"));
            Assert.That(Jid.Parse("example.com./res"), Is.EqualTo(Jid.Parse("example.com/res")));
        });
    }

    [TestCase("user@[::1]", "[::1]")]
    [TestCase("[2001:DB8::1]/r", "[2001:db8::1]")]
    [TestCase("user@127.0.0.1", "127.0.0.1")]
    public void Parse_IpLiteralDomains(string input, string domain)
    {
        Assert.That(Jid.Parse(input).Domain, Is.EqualTo(domain));
    }

    [Test]
    public void Parse_UnicodeLocalpart_IsNfkcNormalised()
    {
        Assert.That(Jid.Parse("ｆｏｏ@example.com"), Is.EqualTo(Jid.Parse("foo@example.com")));
    }

    [Test]
    public void Parse_UnicodeResource_IsNfcNormalised()
    {
        Assert.That(Jid.Parse("a@b/A\u030A").Resource, Is.EqualTo("\u00C5"));
    }

    [TestCase("", "empty")]
    [TestCase("@example.com", "localpart")]
    [TestCase("user@", "domainpart is empty")]
    [TestCase("user@/res", "domainpart is empty")]
    [TestCase("user@example.com/", "resourcepart")]
    [TestCase("/res", "domainpart is empty")]
    [TestCase("a@b@example.com", "'@'")]
    [TestCase("us er@example.com", "U+0020")]
    [TestCase("a\"b@example.com", "'\"'")]
    [TestCase("a&b@example.com", "'&'")]
    [TestCase("a'b@example.com", "'''")]
    [TestCase("a:b@example.com", "':'")]
    [TestCase("a<b@example.com", "'<'")]
    [TestCase("a>b@example.com", "'>'")]
    [TestCase("a\tb@example.com", "U+0009")]
    [TestCase("a\u0001b@example.com", "U+0001")]
    [TestCase("a\u00A0b@example.com", "forbidden character")]
    [TestCase("exa mple.com", "domainpart")]
    [TestCase("example..com", "empty label")]
    [TestCase(".example.com", "empty label")]
    [TestCase(".", "domainpart is empty")]
    [TestCase("example.com:5222", "':'")]
    [TestCase("[::1", "IPv6")]
    [TestCase("[::g]", "IPv6")]
    [TestCase("[127.0.0.1]", "IPv6")]
    [TestCase("user@example.com/a\u0007b", "control")]
    public void Parse_Invalid_ThrowsJidFormatExceptionSayingWhy(string input, string reason)
    {
        Assert.That(() => Jid.Parse(input),
            Throws.TypeOf<JidFormatException>().With.Message.Contains(reason));
    }

    [Test]
    public void Parse_LoneSurrogate_Throws()
    {
        // Built in code: attribute arguments cannot carry a lone surrogate.
        var local = "a" + (char)0xD800 + "b";

        Assert.Multiple(() =>
        {
            Assert.That(() => Jid.Parse(local + "@example.com"), Throws.TypeOf<JidFormatException>().With.Message.Contains("UTF-16"));
            Assert.That(() => Jid.Parse("example.com/" + local), Throws.TypeOf<JidFormatException>().With.Message.Contains("UTF-16"));
            Assert.That(() => Jid.Parse(local), Throws.TypeOf<JidFormatException>().With.Message.Contains("UTF-16"));
        });
    }

    [Test]
    public void JidFormatException_IsAFormatException()
    {
        var inner = new ArgumentException("inner");
        var wrapped = new JidFormatException("outer", inner);

        Assert.Multiple(() =>
        {
            Assert.That(() => Jid.Parse("@"), Throws.InstanceOf<FormatException>());
            Assert.That(wrapped.InnerException, Is.SameAs(inner));
            Assert.That(wrapped.Message, Is.EqualTo("outer"));
        });
    }

    [Test]
    public void Parse_Null_ThrowsArgumentNullException()
    {
        Assert.That(() => Jid.Parse(null!), Throws.ArgumentNullException);
    }

    [Test]
    public void Parse_PartsUpTo1023Bytes_AreAccepted()
    {
        var local = new string('a', 1023);
        var domain = new string('d', 1023);
        var resource = new string('r', 1023);

        var jid = Jid.Parse($"{local}@{domain}/{resource}");

        Assert.That(jid.ToString(), Has.Length.EqualTo(3071));
    }

    [TestCase(1024, 1, 1)]
    [TestCase(1, 1024, 1)]
    [TestCase(1, 1, 1024)]
    public void Parse_PartLongerThan1023Bytes_Throws(int localLength, int domainLength, int resourceLength)
    {
        var input = $"{new string('a', localLength)}@{new string('d', domainLength)}/{new string('r', resourceLength)}";

        Assert.That(() => Jid.Parse(input), Throws.TypeOf<JidFormatException>().With.Message.Contains("1023"));
    }

    [Test]
    public void Parse_LengthLimitCountsUtf8Bytes()
    {
        // 'é' is two UTF-8 bytes: 511 of them fit in 1023 bytes, 512 do not.
        Assert.Multiple(() =>
        {
            Assert.That(Jid.TryParse(new string('é', 511) + "@example.com", out _), Is.True);
            Assert.That(() => Jid.Parse(new string('é', 512) + "@example.com"),
                Throws.TypeOf<JidFormatException>().With.Message.Contains("1024 bytes"));
            Assert.That(() => Jid.Parse("example.com/" + new string('é', 512)),
                Throws.TypeOf<JidFormatException>().With.Message.Contains("resourcepart"));
        });
    }

    [Test]
    public void Parse_HugeInput_KeepsExceptionMessageShort()
    {
        var input = new string('a', 5000) + " @example.com";

        Assert.That(() => Jid.Parse(input), Throws.TypeOf<JidFormatException>().With.Message.Length.LessThan(300));
    }

    [Test]
    public void TryParse_ReportsSuccessAndFailure()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Jid.TryParse("juliet@capulet.com/balcony", out var good), Is.True);
            Assert.That(good, Is.EqualTo(Jid.Parse("juliet@capulet.com/balcony")));
            Assert.That(Jid.TryParse("juliet@", out var bad), Is.False);
            Assert.That(bad, Is.Null);
            Assert.That(Jid.TryParse(null, out var none), Is.False);
            Assert.That(none, Is.Null);
        });
    }

    [Test]
    public void Create_BuildsAndNormalisesParts()
    {
        var jid = Jid.Create("Coven", "MIX.Shakespeare.Example.", "Res");

        Assert.Multiple(() =>
        {
            Assert.That(jid.Local, Is.EqualTo("coven"));
            Assert.That(jid.Domain, Is.EqualTo("mix.shakespeare.example"));
            Assert.That(jid.Resource, Is.EqualTo("Res"));
            Assert.That(jid, Is.EqualTo(Jid.Parse("coven@mix.shakespeare.example/Res")));
            Assert.That(Jid.Create(null, "example.com").IsDomain, Is.True);
        });
    }

    [TestCase("", "example.com", null, "localpart is empty")]
    [TestCase("a@b", "example.com", null, "'@'")]
    [TestCase("a/b", "example.com", null, "'/'")]
    [TestCase(null, "", null, "domainpart is empty")]
    [TestCase(null, "exa@mple.com", null, "'@'")]
    [TestCase(null, "exa/mple.com", null, "'/'")]
    [TestCase(null, "example.com", "", "resourcepart is empty")]
    public void Create_InvalidParts_Throw(string? local, string domain, string? resource, string reason)
    {
        Assert.That(() => Jid.Create(local, domain, resource),
            Throws.TypeOf<JidFormatException>().With.Message.Contains(reason));
    }

    [Test]
    public void Create_NullDomain_ThrowsArgumentNullException()
    {
        Assert.That(() => Jid.Create("a", null!), Throws.ArgumentNullException);
    }

    [Test]
    public void Bare_DropsResourceAndIsCached()
    {
        var full = Jid.Parse("hag66@shakespeare.example/pda");
        var bare = Jid.Parse("hag66@shakespeare.example");

        Assert.Multiple(() =>
        {
            Assert.That(full.Bare, Is.EqualTo(bare));
            Assert.That(full.Bare, Is.SameAs(full.Bare));
            Assert.That(bare.Bare, Is.SameAs(bare));
        });
    }

    [Test]
    public void WithResource_ReplacesResource()
    {
        var room = Jid.Parse("coven@mix.shakespeare.example");

        var occupant = room.WithResource("thirdwitch");

        Assert.Multiple(() =>
        {
            Assert.That(occupant.ToString(), Is.EqualTo("coven@mix.shakespeare.example/thirdwitch"));
            Assert.That(occupant.WithResource("x").Resource, Is.EqualTo("x"));
            Assert.That(room.Resource, Is.Null);
        });
    }

    [Test]
    public void WithResource_Invalid_Throws()
    {
        var room = Jid.Parse("coven@mix.shakespeare.example");

        Assert.Multiple(() =>
        {
            Assert.That(() => room.WithResource(""), Throws.TypeOf<JidFormatException>());
            Assert.That(() => room.WithResource("a\u0000"), Throws.TypeOf<JidFormatException>());
            Assert.That(() => room.WithResource(new string('r', 1024)), Throws.TypeOf<JidFormatException>());
            Assert.That(() => room.WithResource(null!), Throws.ArgumentNullException);
        });
    }

    [Test]
    public void ToString_ReturnsInputWhenAlreadyNormalised()
    {
        const string input = "hag66@shakespeare.example/pda";
        var jid = Jid.Parse(input);

        Assert.Multiple(() =>
        {
            Assert.That(jid.ToString(), Is.SameAs(input));
            Assert.That(Jid.Create("a", "b", "c").ToString(), Is.EqualTo("a@b/c"));
            Assert.That(Jid.Create(null, "b", "c").ToString(), Is.EqualTo("b/c"));
            Assert.That(Jid.Create("a", "b").ToString(), Is.EqualTo("a@b"));
        });
    }

    [Test]
    public void ToString_IsCached()
    {
        var jid = Jid.Parse("User@Example.com/R");

        Assert.That(jid.ToString(), Is.SameAs(jid.ToString()));
    }

    [Test]
    public void Equality_IgnoresCaseOfLocalAndDomainOnly()
    {
        var a = Jid.Parse("Juliet@Capulet.COM/Balcony");
        var b = Jid.Parse("juliet@capulet.com/Balcony");
        var c = Jid.Parse("juliet@capulet.com/balcony");

        Assert.Multiple(() =>
        {
            Assert.That(a.Equals(b), Is.True);
            Assert.That(a == b, Is.True);
            Assert.That(a != b, Is.False);
            Assert.That(a.GetHashCode(), Is.EqualTo(b.GetHashCode()));
            Assert.That(a.Equals((object)b), Is.True);
            Assert.That(a == c, Is.False);
            Assert.That(a != c, Is.True);
            Assert.That(a.Equals((object)"juliet@capulet.com/Balcony"), Is.False);
        });
    }

    [Test]
    public void Equality_HandlesNull()
    {
        var a = Jid.Parse("a@b");
        Jid? none = null;

        Assert.Multiple(() =>
        {
            Assert.That(a.Equals(null), Is.False);
            Assert.That(a == none, Is.False);
            Assert.That(none == null, Is.True);
            Assert.That(none != a, Is.True);
        });
    }

    [Test]
    public void Equality_DistinguishesParts()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Jid.Parse("a@b"), Is.Not.EqualTo(Jid.Parse("b")));
            Assert.That(Jid.Parse("a@b"), Is.Not.EqualTo(Jid.Parse("a@c")));
            Assert.That(Jid.Parse("a@b"), Is.Not.EqualTo(Jid.Parse("a@b/r")));
            Assert.That(Jid.Parse("b/a"), Is.Not.EqualTo(Jid.Parse("a@b")));
        });
    }

    [Test]
    public void Jids_WorkAsDictionaryKeys()
    {
        var set = new HashSet<Jid> { Jid.Parse("Coven@MIX.example"), Jid.Parse("coven@mix.example") };

        Assert.That(set, Has.Count.EqualTo(1));
    }

    [Test]
    public void BareEquals_ComparesWithoutResources()
    {
        var pda = Jid.Parse("hag66@shakespeare.example/pda");

        Assert.Multiple(() =>
        {
            Assert.That(pda.BareEquals(Jid.Parse("HAG66@shakespeare.example/laptop")), Is.True);
            Assert.That(pda.BareEquals(Jid.Parse("hag66@shakespeare.example")), Is.True);
            Assert.That(pda.BareEquals(Jid.Parse("hag67@shakespeare.example/pda")), Is.False);
            Assert.That(pda.BareEquals(null), Is.False);
        });
    }

    [Test]
    public void Parse_FmucProxyRoomJid_KeepsEscapedLocalpart()
    {
        // The FMUC seed addresses a mirrored room by escaping the room JID into the mirror's localpart.
        var proxy = Jid.Parse(@"jabberchat\40talk.example.com@mirror.remote.example.com/Kev");

        Assert.Multiple(() =>
        {
            Assert.That(proxy.Local, Is.EqualTo(@"jabberchat\40talk.example.com"));
            Assert.That(proxy.Domain, Is.EqualTo("mirror.remote.example.com"));
            Assert.That(proxy.Resource, Is.EqualTo("Kev"));
            Assert.That(Jid.Parse(JidEscaping.Unescape(proxy.Local!)), Is.EqualTo(Jid.Parse("jabberchat@talk.example.com")));
        });
    }
}
