using System.Xml.Linq;
using NUnit.Framework;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Xmpp;

[TestFixture]
public class ResultSetTests
{
    private static XElement Set(string inner) =>
        XElement.Parse($"<set xmlns='http://jabber.org/protocol/rsm'>{inner}</set>");

    // XEP-0059 request examples: limit, next page, previous page, last page, by index, count only.
    [TestCase("<max>10</max>", 10, null, null, null)]
    [TestCase("<max>10</max><after>peterpan@neverland.lit</after>", 10, "peterpan@neverland.lit", null, null)]
    [TestCase("<max>10</max><before>peter@pixyland.org</before>", 10, null, "peter@pixyland.org", null)]
    [TestCase("<max>10</max><before/>", 10, null, "", null)]
    [TestCase("<max>10</max><index>371</index>", 10, null, null, 371)]
    [TestCase("<max>0</max>", 0, null, null, null)]
    [TestCase("", null, null, null, null)]
    public void Request_ParsesXepExamples_AndWritesThemBack(string inner, int? max, string? after, string? before, int? index)
    {
        var element = Set(inner);

        var request = ResultSetRequest.Parse(element);

        Assert.That(request, Is.EqualTo(new ResultSetRequest(max, after, before, index)));
        XmlAssert.AreEqual(element, request!.ToElement());
    }

    [Test]
    public void Request_EmptyBefore_MeansLastPage()
    {
        var lastPage = new ResultSetRequest(10, null, "", null);

        XmlAssert.AreEqual("<set xmlns='http://jabber.org/protocol/rsm'><max>10</max><before/></set>", lastPage.ToElement());
        Assert.That(lastPage.ToElement().Element(Ns.Rsm + "before")!.IsEmpty, Is.True);
    }

    [Test]
    public void Request_ParseNull_IsNull()
    {
        Assert.That(ResultSetRequest.Parse(null), Is.Null);
    }

    [Test]
    public void Request_FindIn_DiscoItemsQuery()
    {
        // XEP-0059 "Requesting a Limit to the Result Set" in a disco#items query.
        var query = XElement.Parse("""
            <query xmlns='http://jabber.org/protocol/disco#items'>
              <set xmlns='http://jabber.org/protocol/rsm'><max>20</max></set>
            </query>
            """);

        Assert.Multiple(() =>
        {
            Assert.That(ResultSetRequest.FindIn(query), Is.EqualTo(new ResultSetRequest(Max: 20)));
            Assert.That(ResultSetRequest.FindIn(new XElement(Ns.DiscoItems + "query")), Is.Null);
        });
    }

    [TestCase("<max>ten</max>", "<max/>")]
    [TestCase("<max>-1</max>", "<max/>")]
    [TestCase("<max>+5</max>", "<max/>")]
    [TestCase("<max></max>", "<max/>")]
    [TestCase("<max>99999999999</max>", "<max/>")]
    [TestCase("<index>x</index>", "<index/>")]
    [TestCase("<index>-3</index>", "<index/>")]
    [TestCase("<after/>", "<after/>")]
    public void Request_Malformed_ThrowsFormatException(string inner, string mentions)
    {
        Assert.That(() => ResultSetRequest.Parse(Set(inner)),
            Throws.TypeOf<FormatException>().With.Message.Contains(mentions));
    }

    [Test]
    public void Request_WrongElement_ThrowsFormatException()
    {
        Assert.That(() => ResultSetRequest.Parse(new XElement(Ns.Mam + "set")),
            Throws.TypeOf<FormatException>().With.Message.Contains("Expected <set"));
    }

    [Test]
    public void Request_SurroundingWhitespaceInNumbers_IsAccepted()
    {
        Assert.That(ResultSetRequest.Parse(Set("<max> 10 </max>"))!.Max, Is.EqualTo(10));
    }

    [Test]
    public void Response_ParsesXepPage_AndWritesItBack()
    {
        // XEP-0059 "Returning the Second Page of a Result Set".
        var element = Set("<first index='10'>peter@pixyland.org</first><last>peter@rabbit.lit</last><count>800</count>");

        var response = ResultSetResponse.Parse(element);

        Assert.That(response, Is.EqualTo(new ResultSetResponse("peter@pixyland.org", 10, "peter@rabbit.lit", 800)));
        XmlAssert.AreEqual(element, response!.ToElement());
    }

    [Test]
    public void Response_EmptyResultSet_IsOnlyACount()
    {
        XmlAssert.AreEqual("<set xmlns='http://jabber.org/protocol/rsm'><count>0</count></set>", ResultSetResponse.Empty(0).ToElement());
        Assert.That(ResultSetResponse.Parse(Set("<count>790</count>")), Is.EqualTo(new ResultSetResponse(Count: 790)));
    }

    [Test]
    public void Response_FirstWithoutIndex_AndNothingAtAll()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ResultSetResponse.Parse(Set("<first>a</first><last>b</last>")),
                Is.EqualTo(new ResultSetResponse("a", null, "b", null)));
            XmlAssert.AreEqual("<set xmlns='http://jabber.org/protocol/rsm'/>", new ResultSetResponse().ToElement());
            Assert.That(ResultSetResponse.Parse(null), Is.Null);
        });
    }

    [Test]
    public void Response_FirstIndexWithoutFirst_CannotBeWritten()
    {
        Assert.That(() => new ResultSetResponse(null, 3, null, 10).ToElement(), Throws.InvalidOperationException);
    }

    [TestCase("<count>many</count>", "<count/>")]
    [TestCase("<count>-1</count>", "<count/>")]
    [TestCase("<first index='x'>a</first>", "'index'")]
    public void Response_Malformed_ThrowsFormatException(string inner, string mentions)
    {
        Assert.That(() => ResultSetResponse.Parse(Set(inner)),
            Throws.TypeOf<FormatException>().With.Message.Contains(mentions));
    }

    [Test]
    public void Response_FindIn()
    {
        var query = new XElement(Ns.DiscoItems + "query", new ResultSetResponse("a", 0, "b", 2).ToElement());

        Assert.That(ResultSetResponse.FindIn(query)?.Count, Is.EqualTo(2));
    }
}
