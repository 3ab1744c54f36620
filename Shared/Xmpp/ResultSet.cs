using System.Globalization;
using System.Xml.Linq;

namespace XmppGroupChat.Xmpp;

/// <summary>
/// A XEP-0059 paging request (&lt;set xmlns='http://jabber.org/protocol/rsm'/&gt;).
/// <see cref="Before"/> is "" for the empty &lt;before/&gt; that asks for the last page, null when absent.
/// </summary>
public sealed record ResultSetRequest(int? Max = null, string? After = null, string? Before = null, int? Index = null)
{
    /// <summary>The request carried by a &lt;set/&gt; element; null when <paramref name="set"/> is null.</summary>
    /// <exception cref="FormatException">The element is not an RSM set, or max/index is not a non-negative integer, or &lt;after/&gt; is empty.</exception>
    public static ResultSetRequest? Parse(XElement? set)
    {
        if (set is null)
            return null;
        CheckIsSet(set);
        int? max = null, index = null;
        string? after = null, before = null;
        foreach (var child in set.Elements())
        {
            if (child.Name.Namespace != Ns.Rsm)
                continue;
            switch (child.Name.LocalName)
            {
                case "max":
                    max = ParseCount(child.Value, "<max/>");
                    break;
                case "index":
                    index = ParseCount(child.Value, "<index/>");
                    break;
                case "after":
                    after = child.Value;
                    if (after.Length == 0)
                        throw new FormatException("The RSM <after/> element is empty; it must carry the UID of an item.");
                    break;
                case "before":
                    before = child.Value;
                    break;
            }
        }
        return new ResultSetRequest(max, after, before, index);
    }

    /// <summary>The request inside a protocol element such as a disco#items or MAM query; null when it has none.</summary>
    public static ResultSetRequest? FindIn(XElement parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        return Parse(parent.Element(Ns.Rsm + "set"));
    }

    public XElement ToElement()
    {
        var set = new XElement(Ns.Rsm + "set");
        if (Max is { } max)
            set.Add(new XElement(Ns.Rsm + "max", max.ToString(CultureInfo.InvariantCulture)));
        if (After is not null)
            set.Add(new XElement(Ns.Rsm + "after", After));
        if (Before is not null)
            set.Add(Before.Length == 0 ? new XElement(Ns.Rsm + "before") : new XElement(Ns.Rsm + "before", Before));
        if (Index is { } index)
            set.Add(new XElement(Ns.Rsm + "index", index.ToString(CultureInfo.InvariantCulture)));
        return set;
    }

    internal static void CheckIsSet(XElement set)
    {
        if (set.Name != Ns.Rsm + "set")
            throw new FormatException($"Expected <set xmlns='{Ns.Rsm}'/>, found <{set.Name.LocalName}/> in '{set.Name.NamespaceName}'.");
    }

    internal static int ParseCount(string text, string what)
    {
        if (!int.TryParse(text.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            throw new FormatException($"The RSM {what} value '{text}' is not a non-negative integer.");
        return value;
    }
}

/// <summary>
/// The XEP-0059 description of a returned page: first/last item UIDs, the index of the first, and the total count.
/// An empty page has neither first nor last.
/// </summary>
public sealed record ResultSetResponse(string? First = null, int? FirstIndex = null, string? Last = null, int? Count = null)
{
    /// <summary>The answer for a page with no items (or a request with max 0): only the count.</summary>
    public static ResultSetResponse Empty(int? count) => new(Count: count);

    /// <exception cref="InvalidOperationException">A first index is given without a first UID.</exception>
    public XElement ToElement()
    {
        if (FirstIndex is not null && First is null)
            throw new InvalidOperationException("An RSM first index needs a first item UID to attach to.");
        var set = new XElement(Ns.Rsm + "set");
        if (First is not null)
        {
            var first = new XElement(Ns.Rsm + "first", First);
            if (FirstIndex is { } index)
                first.Add(new XAttribute(XmlNames.Index, index.ToString(CultureInfo.InvariantCulture)));
            set.Add(first);
        }
        if (Last is not null)
            set.Add(new XElement(Ns.Rsm + "last", Last));
        if (Count is { } count)
            set.Add(new XElement(Ns.Rsm + "count", count.ToString(CultureInfo.InvariantCulture)));
        return set;
    }

    /// <exception cref="FormatException">The element is not an RSM set, or count/index is not a non-negative integer.</exception>
    public static ResultSetResponse? Parse(XElement? set)
    {
        if (set is null)
            return null;
        ResultSetRequest.CheckIsSet(set);
        string? first = null, last = null;
        int? firstIndex = null, count = null;
        foreach (var child in set.Elements())
        {
            if (child.Name.Namespace != Ns.Rsm)
                continue;
            switch (child.Name.LocalName)
            {
                case "first":
                    first = child.Value;
                    if (child.Attribute(XmlNames.Index)?.Value is { } index)
                        firstIndex = ResultSetRequest.ParseCount(index, "'index' attribute of <first/>");
                    break;
                case "last":
                    last = child.Value;
                    break;
                case "count":
                    count = ResultSetRequest.ParseCount(child.Value, "<count/>");
                    break;
            }
        }
        return new ResultSetResponse(first, firstIndex, last, count);
    }

    /// <summary>The page description inside a protocol element; null when it has none.</summary>
    public static ResultSetResponse? FindIn(XElement parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        return Parse(parent.Element(Ns.Rsm + "set"));
    }
}
