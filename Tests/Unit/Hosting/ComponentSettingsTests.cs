using Microsoft.Extensions.Configuration;
using XmppGroupChat.Component;
using XmppGroupChat.Hosting;

namespace XmppGroupChat.Tests.Unit.Hosting;

/// <summary>Configuration keys and their precedence: file, then environment, then command line.</summary>
[TestFixture]
public sealed class ComponentSettingsTests
{
    private static IConfiguration Config(Dictionary<string, string?> file, string[]? args = null, string? envPrefix = null)
    {
        var b = new ConfigurationBuilder().AddInMemoryCollection(file);
        if (envPrefix != null) b.AddEnvironmentVariables(envPrefix);
        if (args != null) b.AddCommandLine(args);
        return b.Build();
    }

    [Test]
    public void The_main_link_reads_the_component_keys()
    {
        var o = ComponentSettings.Read(Config(new()
        {
            ["Component:Host"] = "xmpp.example.org", ["Component:Port"] = "5348",
            ["Component:Domain"] = "mix.example.org", ["Component:Secret"] = "s",
            ["Component:MaxStanzaBytes"] = "65536", ["Component:KeepaliveSeconds"] = "15",
            ["Component:MaxAttributesPerElement"] = "64", ["Component:MaxStreamStanzaBytes"] = "4194304",
            ["Component:MaxStreamStanzaDepth"] = "4096",
        }));
        Assert.That((o.Host, o.Port, o.Domain, o.Secret), Is.EqualTo(("xmpp.example.org", 5348, "mix.example.org", "s")));
        Assert.That(o.Limits, Is.EqualTo(new StanzaLimits
        {
            MaxStanzaBytes = 65536, MaxStanzaDepth = 32, MaxAttributesPerElement = 64,
            MaxStreamStanzaBytes = 4 * 1024 * 1024, MaxStreamStanzaDepth = 4096,
        }));
        Assert.That(o.KeepaliveInterval, Is.EqualTo(TimeSpan.FromSeconds(15)));
    }

    [Test]
    public void The_command_line_wins_over_the_environment_which_wins_over_the_file()
    {
        const string prefix = "XGC_TEST_";
        Environment.SetEnvironmentVariable(prefix + "Component__Host", "from-env");
        Environment.SetEnvironmentVariable(prefix + "Component__Port", "6000");
        try
        {
            var config = Config(new() { ["Component:Host"] = "from-file", ["Component:Port"] = "5000", ["Component:Domain"] = "from-file" },
                ["--Component:Port=7000"], prefix);
            var o = ComponentSettings.Read(config);
            Assert.That((o.Host, o.Port, o.Domain), Is.EqualTo(("from-env", 7000, "from-file")));
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "Component__Host", null);
            Environment.SetEnvironmentVariable(prefix + "Component__Port", null);
        }
    }

    [Test]
    public void The_muc_face_defaults_to_the_main_links_server_and_secret_and_a_sibling_domain()
    {
        var o = ComponentSettings.ReadSecondary(Config(new()
        {
            ["Component:Host"] = "h", ["Component:Port"] = "5347", ["Component:Domain"] = "mix.example.org", ["Component:Secret"] = "s",
        }), "Muc", "muc");
        Assert.That((o.Host, o.Port, o.Domain, o.Secret), Is.EqualTo(("h", 5347, "muc.example.org", "s")));
    }

    [Test]
    public void The_muc_face_takes_its_own_domain_port_and_secret_when_given()
    {
        var o = ComponentSettings.ReadSecondary(Config(new()
        {
            ["Component:Domain"] = "mix.example.org", ["Component:Secret"] = "s",
            ["Muc:Domain"] = "rooms.example.org", ["Muc:Port"] = "5348", ["Muc:Secret"] = "t",
        }), "Muc", "muc");
        Assert.That((o.Port, o.Domain, o.Secret), Is.EqualTo((5348, "rooms.example.org", "t")));
    }

    [TestCase("Component:Port", "fifty")]
    [TestCase("Component:KeepaliveSeconds", "-1")]
    public void A_bad_value_is_a_configuration_error_naming_the_key(string key, string value)
    {
        var ex = Assert.Throws<ComponentConfigurationException>(() =>
            ComponentSettings.Read(Config(new() { ["Component:Domain"] = "a.b", [key] = value })));
        Assert.That(ex!.Message, Does.Contain(key));
    }

    [TestCase("", "s", "Domain")]
    [TestCase("not a domain", "s", "Domain")]
    [TestCase("mix.example.org", "", "secret")]
    public void Validation_names_what_is_missing(string domain, string secret, string mentioned)
    {
        var o = new ComponentOptions { Domain = domain, Secret = secret };
        var ex = Assert.Throws<ComponentConfigurationException>(o.Validate);
        Assert.That(ex!.Message, Does.Contain(mentioned));
    }

    [Test]
    public void The_storage_path_is_created_and_checked_at_start_up()
    {
        var dir = Path.Combine(Path.GetTempPath(), "xgc-storage-" + Guid.NewGuid().ToString("N"));
        try
        {
            var s = StorageSettings.Read(Config(new() { ["Storage:Path"] = dir }), "mix");
            Assert.That(Directory.Exists(s.Path), Is.True);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
