using System.Xml.Linq;

namespace XmppGroupChat.Xmpp;

/// <summary>A XEP-0004 data form (&lt;x xmlns='jabber:x:data'/&gt;), including multi-item results.</summary>
public sealed class DataForm
{
    public const string FormTypeVar = "FORM_TYPE";

    private string _type;

    public DataForm(string type = DataFormType.Form)
    {
        _type = CheckType(type);
    }

    /// <summary>form, submit, result or cancel.</summary>
    public string Type
    {
        get => _type;
        set => _type = CheckType(value);
    }

    public string? Title { get; set; }

    /// <summary>The instructions; several &lt;instructions/&gt; elements are read as lines joined by '\n' and written back one per line.</summary>
    public string? Instructions { get; set; }

    public List<DataFormField> Fields { get; } = [];

    /// <summary>The column definitions of a multi-item result (XEP-0004 §3.4); empty when the form has none.</summary>
    public List<DataFormField> Reported { get; } = [];

    /// <summary>The rows of a multi-item result, each a list of fields.</summary>
    public List<List<DataFormField>> Items { get; } = [];

    /// <summary>The value of the hidden FORM_TYPE field, which names the form's schema; setting null removes the field.</summary>
    public string? FormType
    {
        get => GetValue(FormTypeVar);
        set
        {
            var existing = this[FormTypeVar];
            if (value is null)
            {
                if (existing is not null)
                    Fields.Remove(existing);
            }
            else if (existing is null)
            {
                // XEP-0068 puts FORM_TYPE first.
                Fields.Insert(0, new DataFormField(FormTypeVar, DataFormFieldType.Hidden) { Value = value });
            }
            else
            {
                existing.Value = value;
            }
        }
    }

    /// <summary>The first top-level field with this var, or null.</summary>
    public DataFormField? this[string var]
    {
        get
        {
            foreach (var field in Fields)
            {
                if (field.Var == var)
                    return field;
            }
            return null;
        }
    }

    public string? GetValue(string var) => this[var]?.Value;

    public IReadOnlyList<string> GetValues(string var) => this[var]?.Values ?? (IReadOnlyList<string>)[];

    /// <summary>Replaces the values of a field, adding the field (with the given type) when missing.</summary>
    public DataFormField SetValue(string var, string? value, string? type = null)
    {
        var field = GetOrAdd(var, type);
        field.Value = value;
        return field;
    }

    /// <summary>Sets a boolean field to "1" or "0".</summary>
    public DataFormField SetValue(string var, bool value) => SetValue(var, value ? "1" : "0", DataFormFieldType.Boolean);

    public DataFormField SetValues(string var, IEnumerable<string> values, string? type = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        var field = GetOrAdd(var, type);
        field.Values.Clear();
        field.Values.AddRange(values);
        return field;
    }

    public XElement ToElement()
    {
        var x = new XElement(Ns.DataForms + "x", new XAttribute(XmlNames.Type, Type));
        if (Title is not null)
            x.Add(new XElement(Ns.DataForms + "title", Title));
        if (Instructions is not null)
        {
            foreach (var line in Instructions.Split('\n'))
                x.Add(new XElement(Ns.DataForms + "instructions", line));
        }
        foreach (var field in Fields)
            x.Add(field.ToElement());
        if (Reported.Count > 0)
            x.Add(new XElement(Ns.DataForms + "reported", Reported.Select(f => f.ToElement())));
        foreach (var item in Items)
            x.Add(new XElement(Ns.DataForms + "item", item.Select(f => f.ToElement())));
        return x;
    }

    /// <exception cref="FormatException">The element is not a valid data form; the message says what is wrong.</exception>
    public static DataForm Parse(XElement x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Name != Ns.DataForms + "x")
            throw new FormatException($"Expected <x xmlns='{Ns.DataForms}'/>, found <{x.Name.LocalName}/> in '{x.Name.NamespaceName}'.");
        var type = x.Attribute(XmlNames.Type)?.Value;
        if (type is null)
            throw new FormatException("The data form has no 'type' attribute.");
        if (!DataFormType.IsValid(type))
            throw new FormatException($"The data form type '{type}' is not form, submit, result or cancel.");

        var form = new DataForm(type);
        List<string>? instructions = null;
        foreach (var child in x.Elements())
        {
            if (child.Name.Namespace != Ns.DataForms)
                continue;
            switch (child.Name.LocalName)
            {
                case "title":
                    form.Title = child.Value;
                    break;
                case "instructions":
                    (instructions ??= []).Add(child.Value);
                    break;
                case "field":
                    form.Fields.Add(DataFormField.Parse(child));
                    break;
                case "reported":
                    if (form.Reported.Count > 0)
                        throw new FormatException("The data form has more than one <reported/>.");
                    form.Reported.AddRange(ParseFieldGroup(child, "reported"));
                    break;
                case "item":
                    form.Items.Add(ParseFieldGroup(child, "item"));
                    break;
            }
        }
        if (instructions is not null)
            form.Instructions = string.Join('\n', instructions);
        CheckUniqueVars(form.Fields, "the data form");
        return form;
    }

    /// <summary>
    /// The first data form directly inside <paramref name="parent"/>, or the first whose FORM_TYPE is
    /// <paramref name="formType"/>; null when there is none. Forms with another FORM_TYPE are not parsed.
    /// </summary>
    public static DataForm? FindIn(XElement parent, string? formType = null)
    {
        ArgumentNullException.ThrowIfNull(parent);
        foreach (var x in parent.Elements(Ns.DataForms + "x"))
        {
            if (formType is null || ReadFormType(x) == formType)
                return Parse(x);
        }
        return null;
    }

    private static string? ReadFormType(XElement x)
    {
        foreach (var field in x.Elements(Ns.DataForms + "field"))
        {
            if (field.Attribute(XmlNames.Var)?.Value == FormTypeVar)
                return field.Element(Ns.DataForms + "value")?.Value;
        }
        return null;
    }

    private static List<DataFormField> ParseFieldGroup(XElement group, string what)
    {
        var fields = new List<DataFormField>();
        foreach (var field in group.Elements(Ns.DataForms + "field"))
            fields.Add(DataFormField.Parse(field));
        if (fields.Count == 0)
            throw new FormatException($"A <{what}/> of the data form has no fields.");
        CheckUniqueVars(fields, $"a <{what}/>");
        return fields;
    }

    private static void CheckUniqueVars(List<DataFormField> fields, string where)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in fields)
        {
            if (field.Var is not null && !seen.Add(field.Var))
                throw new FormatException($"The field '{field.Var}' appears more than once in {where}.");
        }
    }

    private DataFormField GetOrAdd(string var, string? type)
    {
        ArgumentNullException.ThrowIfNull(var);
        var field = this[var];
        if (field is null)
        {
            field = new DataFormField(var, type);
            Fields.Add(field);
        }
        return field;
    }

    private static string CheckType(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!DataFormType.IsValid(type))
            throw new ArgumentException($"'{type}' is not a data form type (form, submit, result or cancel).", nameof(type));
        return type;
    }
}
