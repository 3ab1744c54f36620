using System.Text;
using System.Xml.Linq;
using NUnit.Framework;

namespace XmppGroupChat.Tests.Unit;

/// <summary>
/// Compares XML trees structurally: element names (with namespaces), attributes regardless of order and
/// ignoring namespace declarations, child elements in order, and text. Whitespace-only text between
/// child elements is layout, so it is ignored.
/// </summary>
public static class XmlAssert
{
    public static void AreEqual(string expectedXml, XElement actual) => AreEqual(XElement.Parse(expectedXml), actual);

    public static void AreEqual(XElement expected, XElement actual)
    {
        var difference = FindDifference(expected, actual);
        if (difference is not null)
            Assert.Fail($"{difference}{Environment.NewLine}Expected:{Environment.NewLine}{expected}{Environment.NewLine}Actual:{Environment.NewLine}{actual}");
    }

    /// <summary>The first difference as a readable sentence with the path where it occurs, or null when the trees match.</summary>
    public static string? FindDifference(XElement expected, XElement actual) =>
        Compare(expected, actual, "/" + Describe(expected.Name));

    private static string? Compare(XElement expected, XElement actual, string path)
    {
        if (expected.Name != actual.Name)
            return $"At {path}: expected element {Describe(expected.Name)} but found {Describe(actual.Name)}.";

        var expectedAttributes = Attributes(expected);
        var actualAttributes = Attributes(actual);
        foreach (var (name, value) in expectedAttributes)
        {
            if (!actualAttributes.TryGetValue(name, out var actualValue))
                return $"At {path}: attribute {Describe(name)} is missing (expected '{value}').";
            if (actualValue != value)
                return $"At {path}: attribute {Describe(name)} is '{actualValue}' but expected '{value}'.";
        }
        foreach (var name in actualAttributes.Keys)
        {
            if (!expectedAttributes.ContainsKey(name))
                return $"At {path}: unexpected attribute {Describe(name)}='{actualAttributes[name]}'.";
        }

        var expectedChildren = expected.Elements().ToList();
        var actualChildren = actual.Elements().ToList();
        if (expectedChildren.Count == 0 && actualChildren.Count == 0)
        {
            return expected.Value == actual.Value
                ? null
                : $"At {path}: text is '{actual.Value}' but expected '{expected.Value}'.";
        }

        var expectedText = SignificantText(expected);
        var actualText = SignificantText(actual);
        if (expectedText != actualText)
            return $"At {path}: mixed text is '{actualText}' but expected '{expectedText}'.";

        for (int i = 0; i < Math.Min(expectedChildren.Count, actualChildren.Count); i++)
        {
            var childPath = $"{path}/{Describe(expectedChildren[i].Name)}[{i + 1}]";
            var difference = Compare(expectedChildren[i], actualChildren[i], childPath);
            if (difference is not null)
                return difference;
        }
        if (expectedChildren.Count != actualChildren.Count)
        {
            var extra = expectedChildren.Count > actualChildren.Count
                ? $"missing {string.Join(", ", expectedChildren.Skip(actualChildren.Count).Select(e => Describe(e.Name)))}"
                : $"unexpected {string.Join(", ", actualChildren.Skip(expectedChildren.Count).Select(e => Describe(e.Name)))}";
            return $"At {path}: expected {expectedChildren.Count} child elements but found {actualChildren.Count} ({extra}).";
        }
        return null;
    }

    private static Dictionary<XName, string> Attributes(XElement element)
    {
        var result = new Dictionary<XName, string>();
        foreach (var attribute in element.Attributes())
        {
            if (!attribute.IsNamespaceDeclaration)
                result[attribute.Name] = attribute.Value;
        }
        return result;
    }

    private static string SignificantText(XElement element)
    {
        var sb = new StringBuilder();
        foreach (var node in element.Nodes())
        {
            if (node is XText text && !string.IsNullOrWhiteSpace(text.Value))
                sb.Append(text.Value);
        }
        return sb.ToString();
    }

    private static string Describe(XName name) =>
        name.Namespace == XNamespace.None ? name.LocalName : $"{{{name.NamespaceName}}}{name.LocalName}";
}
