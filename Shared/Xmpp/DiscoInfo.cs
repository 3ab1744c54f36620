using System.Xml.Linq;

namespace XmppGroupChat.Xmpp;

/// <summary>A XEP-0030 identity: what kind of entity this is (e.g. conference/text).</summary>
public sealed record DiscoIdentity(string Category, string Type, string? Name = null)
{
    /// <summary>The xml:lang of a localised name, when given.</summary>
    public string? Lang { get; init; }
}

/// <summary>A XEP-0030 disco#info result (or request, when empty): identities, features and extended-info forms.</summary>
public sealed class DiscoInfo
{
    private readonly List<DiscoIdentity> _identities = [];
    private readonly List<string> _features = [];
    private readonly HashSet<string> _featureSet = new(StringComparer.Ordinal);
    private readonly List<DataForm> _extensions = [];

    public DiscoInfo(string? node = null)
    {
        Node = node;
    }

    /// <summary>The queried node; a response must mirror the request's node.</summary>
    public string? Node { get; set; }

    public IReadOnlyList<DiscoIdentity> Identities => _identities;

    /// <summary>Features in the order added, without duplicates (XEP-0030 forbids them and XEP-0115 hashing breaks on them).</summary>
    public IReadOnlyList<string> Features => _features;

    /// <summary>XEP-0128 extended information forms.</summary>
    public IReadOnlyList<DataForm> Extensions => _extensions;

    public DiscoInfo AddIdentity(DiscoIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (!_identities.Contains(identity))
            _identities.Add(identity);
        return this;
    }

    public DiscoInfo AddIdentity(string category, string type, string? name = null) =>
        AddIdentity(new DiscoIdentity(category, type, name));

    public DiscoInfo AddFeature(string feature)
    {
        ArgumentException.ThrowIfNullOrEmpty(feature);
        if (_featureSet.Add(feature))
            _features.Add(feature);
        return this;
    }

    public DiscoInfo AddFeatures(params IEnumerable<string> features)
    {
        foreach (var feature in features)
            AddFeature(feature);
        return this;
    }

    public DiscoInfo AddExtension(DataForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        _extensions.Add(form);
        return this;
    }

    public bool HasFeature(string feature) => _featureSet.Contains(feature);

    public XElement ToElement()
    {
        var query = new XElement(Ns.DiscoInfo + "query");
        if (Node is not null)
            query.Add(new XAttribute(XmlNames.Node, Node));
        foreach (var identity in _identities)
        {
            var element = new XElement(Ns.DiscoInfo + "identity",
                new XAttribute(XmlNames.Category, identity.Category),
                new XAttribute(XmlNames.Type, identity.Type));
            if (identity.Name is not null)
                element.Add(new XAttribute(XmlNames.Name, identity.Name));
            if (identity.Lang is not null)
                element.Add(new XAttribute(XmlNames.Lang, identity.Lang));
            query.Add(element);
        }
        foreach (var feature in _features)
            query.Add(new XElement(Ns.DiscoInfo + "feature", new XAttribute(XmlNames.Var, feature)));
        foreach (var form in _extensions)
            query.Add(form.ToElement());
        return query;
    }

    /// <exception cref="FormatException">The element is not a disco#info query, or an identity or feature lacks a required attribute.</exception>
    public static DiscoInfo Parse(XElement query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Name != Ns.DiscoInfo + "query")
            throw new FormatException($"Expected <query xmlns='{Ns.DiscoInfo}'/>, found <{query.Name.LocalName}/> in '{query.Name.NamespaceName}'.");
        var info = new DiscoInfo(query.Attribute(XmlNames.Node)?.Value);
        foreach (var child in query.Elements())
        {
            if (child.Name == Ns.DiscoInfo + "identity")
            {
                var category = child.Attribute(XmlNames.Category)?.Value;
                var type = child.Attribute(XmlNames.Type)?.Value;
                if (string.IsNullOrEmpty(category) || string.IsNullOrEmpty(type))
                    throw new FormatException("A disco#info <identity/> lacks its 'category' or 'type'.");
                info.AddIdentity(new DiscoIdentity(category, type, child.Attribute(XmlNames.Name)?.Value)
                {
                    Lang = child.Attribute(XmlNames.Lang)?.Value,
                });
            }
            else if (child.Name == Ns.DiscoInfo + "feature")
            {
                var feature = child.Attribute(XmlNames.Var)?.Value;
                if (string.IsNullOrEmpty(feature))
                    throw new FormatException("A disco#info <feature/> lacks its 'var'.");
                info.AddFeature(feature);
            }
            else if (child.Name == Ns.DataForms + "x")
            {
                info.AddExtension(DataForm.Parse(child));
            }
        }
        return info;
    }
}
