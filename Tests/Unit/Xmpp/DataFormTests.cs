using System.Xml.Linq;
using NUnit.Framework;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Xmpp;

[TestFixture]
public class DataFormTests
{
    // XEP-0004 "Service Returns Bot Creation Form".
    private const string BotForm = """
        <x xmlns='jabber:x:data' type='form'>
          <title>Bot Configuration</title>
          <instructions>Fill out this form to configure your new bot!</instructions>
          <field type='hidden' var='FORM_TYPE'>
            <value>jabber:bot</value>
          </field>
          <field type='fixed'><value>Section 1: Bot Info</value></field>
          <field type='text-single' label='The name of your bot' var='botname'/>
          <field type='text-multi' label='Helpful description of your bot' var='description'/>
          <field type='boolean' label='Public bot?' var='public'>
            <required/>
          </field>
          <field type='text-private' label='Password for special access' var='password'/>
          <field type='fixed'><value>Section 2: Features</value></field>
          <field type='list-multi' label='What features will the bot support?' var='features'>
            <option label='Contests'><value>contests</value></option>
            <option label='News'><value>news</value></option>
            <option label='Polls'><value>polls</value></option>
            <option label='Reminders'><value>reminders</value></option>
            <option label='Search'><value>search</value></option>
            <value>news</value>
            <value>search</value>
          </field>
          <field type='fixed'><value>Section 3: Subscriber List</value></field>
          <field type='list-single' label='Maximum number of subscribers' var='maxsubs'>
            <value>20</value>
            <option label='10'><value>10</value></option>
            <option label='20'><value>20</value></option>
            <option label='30'><value>30</value></option>
            <option label='50'><value>50</value></option>
            <option label='100'><value>100</value></option>
            <option label='None'><value>none</value></option>
          </field>
          <field type='fixed'><value>Section 4: Invitations</value></field>
          <field type='jid-multi' label='People to invite' var='invitelist'>
            <desc>Tell all your friends about your new bot!</desc>
          </field>
        </x>
        """;

    // XEP-0004 "User Submits Bot Creation Form".
    private const string BotSubmit = """
        <x xmlns='jabber:x:data' type='submit'>
          <field type='hidden' var='FORM_TYPE'>
            <value>jabber:bot</value>
          </field>
          <field type='text-single' var='botname'>
            <value>The Jabber Google Bot</value>
          </field>
          <field type='text-multi' var='description'>
            <value>This bot enables you to send requests to</value>
            <value>Google and receive the search results right</value>
            <value>in your Jabber client. It&apos; really cool!</value>
            <value>It even supports Google News!</value>
          </field>
          <field type='boolean' var='public'>
            <value>0</value>
          </field>
          <field type='text-private' var='password'>
            <value>v3r0na</value>
          </field>
          <field type='list-multi' var='features'>
            <value>news</value>
            <value>search</value>
          </field>
          <field type='list-single' var='maxsubs'>
            <value>50</value>
          </field>
          <field type='jid-multi' var='invitelist'>
            <value>juliet@capulet.com</value>
            <value>benvolio@montague.net</value>
          </field>
        </x>
        """;

    // XEP-0004 "Service Returns Search Results" (first two items).
    private const string SearchResults = """
        <x xmlns='jabber:x:data' type='result'>
          <title>Joogle Search: verona</title>
          <reported>
            <field var='name'/>
            <field var='url'/>
          </reported>
          <item>
            <field var='name'>
              <value>Comune di Verona - Benvenuti nel sito ufficiale</value>
            </field>
            <field var='url'>
              <value>http://www.comune.verona.it/</value>
            </field>
          </item>
          <item>
            <field var='name'>
              <value>benvenuto!</value>
            </field>
            <field var='url'>
              <value>http://www.hellasverona.it/</value>
            </field>
          </item>
        </x>
        """;

    [Test]
    public void Parse_BotCreationForm()
    {
        var form = DataForm.Parse(XElement.Parse(BotForm));

        Assert.Multiple(() =>
        {
            Assert.That(form.Type, Is.EqualTo(DataFormType.Form));
            Assert.That(form.Title, Is.EqualTo("Bot Configuration"));
            Assert.That(form.Instructions, Is.EqualTo("Fill out this form to configure your new bot!"));
            Assert.That(form.FormType, Is.EqualTo("jabber:bot"));
            Assert.That(form.Fields, Has.Count.EqualTo(12));
            Assert.That(form.Fields[1].Var, Is.Null);
            Assert.That(form.Fields[1].Type, Is.EqualTo(DataFormFieldType.Fixed));
            Assert.That(form.Fields[1].Value, Is.EqualTo("Section 1: Bot Info"));
            Assert.That(form["botname"]!.Label, Is.EqualTo("The name of your bot"));
            Assert.That(form["botname"]!.Values, Is.Empty);
            Assert.That(form["public"]!.Required, Is.True);
            Assert.That(form["public"]!.AsBoolean(), Is.Null);
            Assert.That(form["password"]!.Required, Is.False);
            Assert.That(form["features"]!.Options, Has.Count.EqualTo(5));
            Assert.That(form["features"]!.Options[2], Is.EqualTo(new DataFormOption("Polls", "polls")));
            Assert.That(form.GetValues("features"), Is.EqualTo(new[] { "news", "search" }));
            Assert.That(form.GetValue("maxsubs"), Is.EqualTo("20"));
            Assert.That(form["maxsubs"]!.Options.Select(o => o.Value), Is.EqualTo(new[] { "10", "20", "30", "50", "100", "none" }));
            Assert.That(form["invitelist"]!.Description, Is.EqualTo("Tell all your friends about your new bot!"));
            Assert.That(form.Reported, Is.Empty);
            Assert.That(form.Items, Is.Empty);
        });
    }

    [Test]
    public void Parse_BotSubmission()
    {
        var form = DataForm.Parse(XElement.Parse(BotSubmit));

        Assert.Multiple(() =>
        {
            Assert.That(form.Type, Is.EqualTo(DataFormType.Submit));
            Assert.That(form.GetValues("description"), Has.Count.EqualTo(4));
            Assert.That(form.GetValues("description")[2], Is.EqualTo("in your Jabber client. It' really cool!"));
            Assert.That(form["public"]!.AsBoolean(), Is.False);
            Assert.That(form.GetValue("password"), Is.EqualTo("v3r0na"));
            Assert.That(form.GetValues("invitelist").Select(Jid.Parse),
                Is.EqualTo(new[] { Jid.Parse("juliet@capulet.com"), Jid.Parse("benvolio@montague.net") }));
        });
    }

    [TestCase(BotSubmit)]
    [TestCase(SearchResults)]
    public void ToElement_RoundTripsXepExamples(string xml)
    {
        var element = XElement.Parse(xml);

        XmlAssert.AreEqual(element, DataForm.Parse(element).ToElement());
    }

    [Test]
    public void ToElement_RoundTripsBotForm_WithValuesBeforeOptions()
    {
        // The XEP's 'features' field lists options before values; the schema order (values first) is written.
        var written = DataForm.Parse(XElement.Parse(BotForm)).ToElement();
        var features = written.Elements(Ns.DataForms + "field").Single(f => (string?)f.Attribute("var") == "features");

        Assert.Multiple(() =>
        {
            Assert.That(features.Elements().Select(e => e.Name.LocalName),
                Is.EqualTo(new[] { "value", "value", "option", "option", "option", "option", "option" }));
            Assert.That(written.Elements(Ns.DataForms + "field").Count(), Is.EqualTo(12));
        });
        XmlAssert.AreEqual(written, DataForm.Parse(written).ToElement());
    }

    [Test]
    public void Parse_MultiItemResult()
    {
        var form = DataForm.Parse(XElement.Parse(SearchResults));

        Assert.Multiple(() =>
        {
            Assert.That(form.Type, Is.EqualTo(DataFormType.Result));
            Assert.That(form.Fields, Is.Empty);
            Assert.That(form.Reported.Select(f => f.Var), Is.EqualTo(new[] { "name", "url" }));
            Assert.That(form.Items, Has.Count.EqualTo(2));
            Assert.That(form.Items[1][1].Value, Is.EqualTo("http://www.hellasverona.it/"));
        });
    }

    [Test]
    public void FindIn_ReturnsFirstFormInsideCommand()
    {
        var command = XElement.Parse($"<command xmlns='http://jabber.org/protocol/commands' node='create'>{BotForm}</command>");

        Assert.Multiple(() =>
        {
            Assert.That(DataForm.FindIn(command)?.FormType, Is.EqualTo("jabber:bot"));
            Assert.That(DataForm.FindIn(command, "jabber:bot")?.Title, Is.EqualTo("Bot Configuration"));
            Assert.That(DataForm.FindIn(command, "urn:other"), Is.Null);
            Assert.That(DataForm.FindIn(new XElement("empty")), Is.Null);
        });
    }

    [Test]
    public void FindIn_MixServiceInfoExtension()
    {
        // The extended disco#info form of the MIX seed's "Service responds with Disco Info result".
        var query = XElement.Parse("""
            <query xmlns='http://jabber.org/protocol/disco#info'>
              <identity category='conference' name='Shakespearean Chat Service' type='text'/>
              <feature var='urn:xmpp:mix:0'/>
              <x xmlns='jabber:x:data' type='result'>
                <field var='FORM_TYPE' type='hidden'>
                  <value>urn:xmpp:mix:0#serviceinfo</value>
                </field>
                <field var='urn:xmpp:mix:nodes:muc_mirror' label='Location of MUC mirror service'>
                  <value>chat.shakespeare.example</value>
                </field>
              </x>
            </query>
            """);

        var form = DataForm.FindIn(query, "urn:xmpp:mix:0#serviceinfo");

        Assert.That(form?.GetValue("urn:xmpp:mix:nodes:muc_mirror"), Is.EqualTo("chat.shakespeare.example"));
    }

    [Test]
    public void FindIn_SkipsFormsOfOtherTypesWithoutParsingThem()
    {
        var parent = XElement.Parse("""
            <query xmlns='urn:example'>
              <x xmlns='jabber:x:data' type='bogus'><field var='FORM_TYPE'><value>urn:a</value></field></x>
              <x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE'><value>urn:b</value></field></x>
            </query>
            """);

        Assert.Multiple(() =>
        {
            Assert.That(DataForm.FindIn(parent, "urn:b")?.Type, Is.EqualTo("result"));
            Assert.That(() => DataForm.FindIn(parent, "urn:a"), Throws.InstanceOf<FormatException>());
        });
    }

    [Test]
    public void FormType_SetAddsHiddenFieldFirst_AndNullRemovesIt()
    {
        var form = new DataForm(DataFormType.Submit);
        form.SetValue("muc#roomconfig_roomname", "Coven");

        form.FormType = "http://jabber.org/protocol/muc#roomconfig";

        Assert.Multiple(() =>
        {
            Assert.That(form.Fields[0].Var, Is.EqualTo("FORM_TYPE"));
            Assert.That(form.Fields[0].Type, Is.EqualTo(DataFormFieldType.Hidden));
            Assert.That(form.FormType, Is.EqualTo("http://jabber.org/protocol/muc#roomconfig"));
        });

        form.FormType = "urn:changed";
        Assert.That(form.Fields.Count(f => f.Var == "FORM_TYPE"), Is.EqualTo(1));
        Assert.That(form.FormType, Is.EqualTo("urn:changed"));

        form.FormType = null;
        Assert.Multiple(() =>
        {
            Assert.That(form.FormType, Is.Null);
            Assert.That(form.Fields, Has.Count.EqualTo(1));
        });
        form.FormType = null;
        Assert.That(form.Fields, Has.Count.EqualTo(1));
    }

    [Test]
    public void SetValue_AddsOrReplaces()
    {
        var form = new DataForm(DataFormType.Submit);

        var added = form.SetValue("botname", "first", DataFormFieldType.TextSingle);
        var replaced = form.SetValue("botname", "second");
        form.SetValue("cleared", null);

        Assert.Multiple(() =>
        {
            Assert.That(replaced, Is.SameAs(added));
            Assert.That(form.GetValue("botname"), Is.EqualTo("second"));
            Assert.That(form["botname"]!.Type, Is.EqualTo(DataFormFieldType.TextSingle));
            Assert.That(form.Fields, Has.Count.EqualTo(2));
            Assert.That(form["cleared"]!.Values, Is.Empty);
        });
    }

    [Test]
    public void SetValue_Boolean_WritesOneOrZero()
    {
        var form = new DataForm(DataFormType.Submit);

        form.SetValue("public", true);
        form.SetValue("moderated", false);

        Assert.Multiple(() =>
        {
            Assert.That(form.GetValue("public"), Is.EqualTo("1"));
            Assert.That(form["public"]!.Type, Is.EqualTo(DataFormFieldType.Boolean));
            Assert.That(form["public"]!.AsBoolean(), Is.True);
            Assert.That(form["moderated"]!.AsBoolean(), Is.False);
        });
    }

    [Test]
    public void SetValues_ReplacesAllValues()
    {
        var form = new DataForm(DataFormType.Submit);
        form.SetValues("invitelist", ["a@b", "c@d"], DataFormFieldType.JidMulti);

        form.SetValues("invitelist", ["e@f"]);

        Assert.Multiple(() =>
        {
            Assert.That(form.GetValues("invitelist"), Is.EqualTo(new[] { "e@f" }));
            Assert.That(form["invitelist"]!.Type, Is.EqualTo(DataFormFieldType.JidMulti));
            Assert.That(() => form.SetValues("x", null!), Throws.ArgumentNullException);
        });
    }

    [Test]
    public void Lookups_ForUnknownVar()
    {
        var form = new DataForm();

        Assert.Multiple(() =>
        {
            Assert.That(form["nope"], Is.Null);
            Assert.That(form.GetValue("nope"), Is.Null);
            Assert.That(form.GetValues("nope"), Is.Empty);
            Assert.That(form.FormType, Is.Null);
        });
    }

    [TestCase("1", true)]
    [TestCase("true", true)]
    [TestCase("0", false)]
    [TestCase("false", false)]
    [TestCase("yes", null)]
    [TestCase("True", null)]
    [TestCase(null, null)]
    public void AsBoolean_AcceptsXmlSchemaBooleans(string? value, bool? expected)
    {
        var field = new DataFormField("public", DataFormFieldType.Boolean) { Value = value };

        Assert.That(field.AsBoolean(), Is.EqualTo(expected));
    }

    [Test]
    public void Field_ValueProperty_ReplacesValues()
    {
        var field = new DataFormField { Var = "v" };
        field.Values.AddRange(["a", "b"]);

        field.Value = "c";

        Assert.That(field.Values, Is.EqualTo(new[] { "c" }));
        field.Value = null;
        Assert.That(field.Values, Is.Empty);
    }

    [Test]
    public void Field_ToElement_WritesChildrenInSchemaOrder()
    {
        var field = new DataFormField("maxsubs", DataFormFieldType.ListSingle, "Maximum")
        {
            Description = "How many",
            Required = true,
            Value = "20",
        };
        field.Options.Add(new DataFormOption("Twenty", "20"));
        field.Options.Add(new DataFormOption(null, "30"));

        XmlAssert.AreEqual("""
            <field xmlns='jabber:x:data' var='maxsubs' type='list-single' label='Maximum'>
              <desc>How many</desc>
              <required/>
              <value>20</value>
              <option label='Twenty'><value>20</value></option>
              <option><value>30</value></option>
            </field>
            """, field.ToElement());
    }

    [Test]
    public void ToElement_BuiltForm()
    {
        var form = new DataForm(DataFormType.Result)
        {
            Title = "Room info",
            Instructions = "Line one\nLine two",
        };
        form.FormType = "http://jabber.org/protocol/muc#roominfo";
        form.SetValue("muc#roominfo_occupants", "3");

        XmlAssert.AreEqual("""
            <x xmlns='jabber:x:data' type='result'>
              <title>Room info</title>
              <instructions>Line one</instructions>
              <instructions>Line two</instructions>
              <field var='FORM_TYPE' type='hidden'><value>http://jabber.org/protocol/muc#roominfo</value></field>
              <field var='muc#roominfo_occupants'><value>3</value></field>
            </x>
            """, form.ToElement());
    }

    [Test]
    public void Parse_MultipleInstructions_AreJoinedWithNewlines()
    {
        var form = DataForm.Parse(XElement.Parse("""
            <x xmlns='jabber:x:data' type='form'><instructions>One</instructions><instructions>Two</instructions></x>
            """));

        Assert.That(form.Instructions, Is.EqualTo("One\nTwo"));
    }

    [Test]
    public void Parse_UnknownFieldTypeAndForeignChildren_AreTolerated()
    {
        var form = DataForm.Parse(XElement.Parse("""
            <x xmlns='jabber:x:data' type='submit'>
              <field var='f' type='future-type'><value>a</value><value>b</value><validate xmlns='http://jabber.org/protocol/xdata-validate'/></field>
              <field var='g'><value>a</value><value>b</value></field>
              <extension xmlns='urn:example'/>
            </x>
            """));

        Assert.Multiple(() =>
        {
            Assert.That(form.GetValues("f"), Has.Count.EqualTo(2));
            Assert.That(form.GetValues("g"), Has.Count.EqualTo(2));
        });
    }

    [TestCase("<query xmlns='jabber:x:data' type='form'/>", "Expected <x")]
    [TestCase("<x xmlns='urn:not-data' type='form'/>", "Expected <x")]
    [TestCase("<x xmlns='jabber:x:data'/>", "no 'type'")]
    [TestCase("<x xmlns='jabber:x:data' type='draft'/>", "'draft'")]
    [TestCase("<x xmlns='jabber:x:data' type='form'><field type='text-single'/></x>", "no 'var'")]
    [TestCase("<x xmlns='jabber:x:data' type='form'><field/></x>", "no 'var'")]
    [TestCase("<x xmlns='jabber:x:data' type='submit'><field var='a' type='text-single'><value>1</value><value>2</value></field></x>", "at most one")]
    [TestCase("<x xmlns='jabber:x:data' type='submit'><field var='a' type='boolean'><value>yes</value></field></x>", "'yes'")]
    [TestCase("<x xmlns='jabber:x:data' type='form'><field var='a' type='list-single'><option label='x'/></field></x>", "no <value/>")]
    [TestCase("<x xmlns='jabber:x:data' type='form'><field var='a' type='list-single'><option><value>1</value><value>2</value></option></field></x>", "more than one <value/>")]
    [TestCase("<x xmlns='jabber:x:data' type='form'><field var='a' type='text-single'><option><value>1</value></option></field></x>", "only list fields")]
    [TestCase("<x xmlns='jabber:x:data' type='submit'><field var='a'/><field var='a'/></x>", "more than once")]
    [TestCase("<x xmlns='jabber:x:data' type='result'><reported/></x>", "no fields")]
    [TestCase("<x xmlns='jabber:x:data' type='result'><reported><field var='a'/></reported><reported><field var='a'/></reported></x>", "more than one <reported/>")]
    [TestCase("<x xmlns='jabber:x:data' type='result'><reported><field var='a'/></reported><item><field var='a'/><field var='a'/></item></x>", "more than once")]
    public void Parse_Malformed_ThrowsFormatExceptionSayingWhy(string xml, string reason)
    {
        Assert.That(() => DataForm.Parse(XElement.Parse(xml)),
            Throws.TypeOf<FormatException>().With.Message.Contains(reason));
    }

    [Test]
    public void Field_Parse_WrongElement_Throws()
    {
        Assert.That(() => DataFormField.Parse(new XElement(Ns.DataForms + "value")), Throws.TypeOf<FormatException>());
    }

    [Test]
    public void Type_IsValidated()
    {
        var form = new DataForm(DataFormType.Cancel);

        Assert.Multiple(() =>
        {
            Assert.That(() => new DataForm("bogus"), Throws.ArgumentException);
            Assert.That(() => form.Type = "Form", Throws.ArgumentException);
            Assert.That(() => form.Type = null!, Throws.ArgumentNullException);
            Assert.That(form.Type, Is.EqualTo(DataFormType.Cancel));
            Assert.That(new DataForm().Type, Is.EqualTo(DataFormType.Form));
        });
        form.Type = DataFormType.Submit;
        Assert.That(form.Type, Is.EqualTo("submit"));
    }

    [Test]
    public void FieldTypeHelpers()
    {
        Assert.Multiple(() =>
        {
            Assert.That(DataFormFieldType.IsMultiValued(DataFormFieldType.JidMulti), Is.True);
            Assert.That(DataFormFieldType.IsMultiValued(DataFormFieldType.Hidden), Is.True);
            Assert.That(DataFormFieldType.IsMultiValued(DataFormFieldType.TextSingle), Is.False);
            Assert.That(DataFormFieldType.IsSingleValued(DataFormFieldType.ListSingle), Is.True);
            Assert.That(DataFormFieldType.IsSingleValued(null), Is.False);
            Assert.That(DataFormFieldType.IsList(DataFormFieldType.ListMulti), Is.True);
            Assert.That(DataFormType.IsValid("cancel"), Is.True);
            Assert.That(DataFormType.IsValid(null), Is.False);
        });
    }
}
