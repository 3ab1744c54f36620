using System.Xml.Linq;

namespace XmppGroupChat.Xmpp;

/// <summary>One choice of a list-single or list-multi field.</summary>
public sealed record DataFormOption(string? Label, string Value);

/// <summary>A &lt;field/&gt; of a data form (XEP-0004 §3.2).</summary>
public sealed class DataFormField
{
    public DataFormField()
    {
    }

    public DataFormField(string? var, string? type = null, string? label = null)
    {
        Var = var;
        Type = type;
        Label = label;
    }

    public string? Var { get; set; }

    /// <summary>The field type as written; null when absent (text-single in a form, inferred from context otherwise).</summary>
    public string? Type { get; set; }

    public string? Label { get; set; }

    public string? Description { get; set; }

    public bool Required { get; set; }

    public List<string> Values { get; } = [];

    public List<DataFormOption> Options { get; } = [];

    /// <summary>The first value; setting it replaces all values (null clears them).</summary>
    public string? Value
    {
        get => Values.Count > 0 ? Values[0] : null;
        set
        {
            Values.Clear();
            if (value is not null)
                Values.Add(value);
        }
    }

    /// <summary>The value read as an XML Schema boolean ("1"/"true"/"0"/"false"); null when absent or not a boolean.</summary>
    public bool? AsBoolean() => ParseBoolean(Value);

    public XElement ToElement()
    {
        var field = new XElement(Ns.DataForms + "field");
        if (Var is not null)
            field.Add(new XAttribute(XmlNames.Var, Var));
        if (Type is not null)
            field.Add(new XAttribute(XmlNames.Type, Type));
        if (Label is not null)
            field.Add(new XAttribute(XmlNames.Label, Label));
        if (Description is not null)
            field.Add(new XElement(Ns.DataForms + "desc", Description));
        if (Required)
            field.Add(new XElement(Ns.DataForms + "required"));
        foreach (var value in Values)
            field.Add(new XElement(Ns.DataForms + "value", value));
        foreach (var option in Options)
        {
            var element = new XElement(Ns.DataForms + "option");
            if (option.Label is not null)
                element.Add(new XAttribute(XmlNames.Label, option.Label));
            element.Add(new XElement(Ns.DataForms + "value", option.Value));
            field.Add(element);
        }
        return field;
    }

    /// <summary>Reads a &lt;field/&gt;, enforcing the XEP-0004 rules that make its value ambiguous when broken.</summary>
    /// <exception cref="FormatException">The field breaks a rule of XEP-0004; the message names the field and the rule.</exception>
    public static DataFormField Parse(XElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        if (element.Name != Ns.DataForms + "field")
            throw new FormatException($"Expected a <field/> in {Ns.DataForms}, found <{element.Name.LocalName}/> in '{element.Name.NamespaceName}'.");

        var field = new DataFormField(
            element.Attribute(XmlNames.Var)?.Value,
            element.Attribute(XmlNames.Type)?.Value,
            element.Attribute(XmlNames.Label)?.Value);
        var name = field.Var is not null ? $"field '{field.Var}'"
            : field.Type is null ? "<field/>" : $"<field type='{field.Type}'/>";

        foreach (var child in element.Elements())
        {
            if (child.Name.Namespace != Ns.DataForms)
                continue; // foreign extensions (e.g. XEP-0122 validation) are not modelled
            switch (child.Name.LocalName)
            {
                case "value":
                    field.Values.Add(child.Value);
                    break;
                case "desc":
                    field.Description = child.Value;
                    break;
                case "required":
                    field.Required = true;
                    break;
                case "option":
                    field.Options.Add(ParseOption(child, name));
                    break;
            }
        }

        if (field.Var is null && field.Type != DataFormFieldType.Fixed)
            throw new FormatException($"A {name} has no 'var'; only fixed fields may omit it.");
        if (DataFormFieldType.IsSingleValued(field.Type) && field.Values.Count > 1)
            throw new FormatException($"The {name} of type {field.Type} has {field.Values.Count} values; at most one is allowed.");
        if (field.Options.Count > 0 && field.Type is not null && !DataFormFieldType.IsList(field.Type))
            throw new FormatException($"The {name} of type {field.Type} has options; only list fields may.");
        if (field.Type == DataFormFieldType.Boolean && field.Value is { } b && ParseBoolean(b) is null)
            throw new FormatException($"The boolean {name} has the value '{b}'; expected 1, 0, true or false.");
        return field;
    }

    private static DataFormOption ParseOption(XElement option, string fieldName)
    {
        XElement? value = null;
        foreach (var child in option.Elements(Ns.DataForms + "value"))
        {
            if (value is not null)
                throw new FormatException($"An option of the {fieldName} has more than one <value/>.");
            value = child;
        }
        if (value is null)
            throw new FormatException($"An option of the {fieldName} has no <value/>.");
        return new DataFormOption(option.Attribute(XmlNames.Label)?.Value, value.Value);
    }

    internal static bool? ParseBoolean(string? value) => value switch
    {
        "1" or "true" => true,
        "0" or "false" => false,
        _ => null,
    };
}
