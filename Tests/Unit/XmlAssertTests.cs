using System.Xml.Linq;
using NUnit.Framework;

namespace XmppGroupChat.Tests.Unit;

[TestFixture]
public class XmlAssertTests
{
    [Test]
    public void IgnoresAttributeOrderNamespaceDeclarationsAndLayout()
    {
        var expected = XElement.Parse("<a xmlns='urn:x' b='1' c='2'>\n  <d>text</d>\n</a>");
        var actual = new XElement(XNamespace.Get("urn:x") + "a", new XAttribute("c", "2"), new XAttribute("b", "1"),
            new XElement(XNamespace.Get("urn:x") + "d", "text"));

        Assert.That(XmlAssert.FindDifference(expected, actual), Is.Null);
    }

    [TestCase("<a b='1'/>", "<a b='2'/>", "At /a: attribute b is '2' but expected '1'.")]
    [TestCase("<a b='1'/>", "<a/>", "At /a: attribute b is missing (expected '1').")]
    [TestCase("<a/>", "<a b='1'/>", "At /a: unexpected attribute b='1'.")]
    [TestCase("<a><b/><c/></a>", "<a><c/><b/></a>", "At /a/b[1]: expected element b but found c.")]
    [TestCase("<a><b/></a>", "<a><b/><c/></a>", "At /a: expected 1 child elements but found 2 (unexpected c).")]
    [TestCase("<a>x</a>", "<a>y</a>", "At /a: text is 'y' but expected 'x'.")]
    [TestCase("<a xmlns='urn:x'/>", "<a xmlns='urn:y'/>", "At /{urn:x}a: expected element {urn:x}a but found {urn:y}a.")]
    public void ReportsTheFirstDifferenceWithItsPath(string expected, string actual, string message)
    {
        Assert.That(XmlAssert.FindDifference(XElement.Parse(expected), XElement.Parse(actual)), Is.EqualTo(message));
    }

    [Test]
    public void AreEqual_FailsWithBothDocumentsInTheMessage()
    {
        var failure = Assert.Throws<AssertionException>(() => XmlAssert.AreEqual("<a b='1'/>", XElement.Parse("<a b='2'/>")));

        Assert.That(failure!.Message, Does.Contain("attribute b is '2'").And.Contain("Expected:").And.Contain("Actual:"));
    }
}
