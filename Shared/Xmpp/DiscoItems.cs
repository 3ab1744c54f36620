using System.Xml.Linq;

namespace XmppGroupChat.Xmpp;

/// <summary>One entry of a XEP-0030 disco#items result: a JID, optionally with a node.</summary>
public sealed record DiscoItem(Jid Jid, string? Name = null, string? Node = null);

/// <summary>A XEP-0030 disco#items result (or request, when empty), optionally paged with XEP-0059.</summary>
public sealed class DiscoItems
{
    public DiscoItems(string? node = null)
    {
        Node = node;
    }

    public string? Node { get; set; }

    public List<DiscoItem> Items { get; } = [];

    /// <summary>The XEP-0059 page description that follows the items, when the result is paged.</summary>
    public ResultSetResponse? ResultSet { get; set; }

    public DiscoItems AddItem(Jid jid, string? name = null, string? node = null)
    {
        ArgumentNullException.ThrowIfNull(jid);
        Items.Add(new DiscoItem(jid, name, node));
        return this;
    }

    public XElement ToElement()
    {
        var query = new XElement(Ns.DiscoItems + "query");
        if (Node is not null)
            query.Add(new XAttribute(XmlNames.Node, Node));
        foreach (var item in Items)
        {
            var element = new XElement(Ns.DiscoItems + "item", new XAttribute(XmlNames.Jid, item.Jid.ToString()));
            if (item.Name is not null)
                element.Add(new XAttribute(XmlNames.Name, item.Name));
            if (item.Node is not null)
                element.Add(new XAttribute(XmlNames.Node, item.Node));
            query.Add(element);
        }
        if (ResultSet is not null)
            query.Add(ResultSet.ToElement());
        return query;
    }

    /// <exception cref="FormatException">The element is not a disco#items query, an item has no valid 'jid', or the RSM set is malformed.</exception>
    public static DiscoItems Parse(XElement query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Name != Ns.DiscoItems + "query")
            throw new FormatException($"Expected <query xmlns='{Ns.DiscoItems}'/>, found <{query.Name.LocalName}/> in '{query.Name.NamespaceName}'.");
        var items = new DiscoItems(query.Attribute(XmlNames.Node)?.Value);
        foreach (var element in query.Elements(Ns.DiscoItems + "item"))
        {
            var jid = element.Attribute(XmlNames.Jid)?.Value
                ?? throw new FormatException("A disco#items <item/> has no 'jid'.");
            items.Items.Add(new DiscoItem(Jid.Parse(jid), element.Attribute(XmlNames.Name)?.Value, element.Attribute(XmlNames.Node)?.Value));
        }
        items.ResultSet = ResultSetResponse.FindIn(query);
        return items;
    }
}
