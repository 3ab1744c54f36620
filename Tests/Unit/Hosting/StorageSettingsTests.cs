using Microsoft.Extensions.Configuration;
using XmppGroupChat.Archive;
using XmppGroupChat.Component;
using XmppGroupChat.Hosting;

namespace XmppGroupChat.Tests.Unit.Hosting;

/// <summary>Storage:Engine, Storage:ConnectionString and where each engine's archive is, the same in all three programs.</summary>
[TestFixture]
public sealed class StorageSettingsTests
{
    private string _directory = "";

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "xgc-storage-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, true);

    private StorageSettings Read(params (string Key, string Value)[] settings) =>
        StorageSettings.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)).Append(new("Storage:Path", _directory)))
            .Build(), "mix");

    [TestCase("litedb", ArchiveEngine.LiteDb, "archive.litedb")]
    [TestCase("SQLite", ArchiveEngine.Sqlite, "archive.db")]
    public void An_embedded_engine_keeps_its_file_under_the_storage_path(string name, ArchiveEngine engine, string file)
    {
        var location = Read(("Storage:Engine", name)).Archive(out var kept);
        Assert.That(location, Is.EqualTo(new ArchiveLocation(engine, Path.Combine(_directory, file))));
        Assert.That(kept, Is.False);
    }

    [Test]
    public void Postgresql_uses_the_connection_string_and_requires_it()
    {
        var location = Read(("Storage:Engine", "postgresql"), ("Storage:ConnectionString", "Host=db;Database=mix;Username=mix;Password=secret")).Archive(out _);
        Assert.That(location, Is.EqualTo(new ArchiveLocation(ArchiveEngine.PostgreSql, "Host=db;Database=mix;Username=mix;Password=secret")));
        Assert.That(location.ToString(), Does.Not.Contain("secret"));
        var error = Assert.Throws<ComponentConfigurationException>(() => Read(("Storage:Engine", "postgresql")));
        Assert.That(error!.Message, Does.Contain("Storage:ConnectionString"));
    }

    [Test]
    public void An_unknown_engine_is_a_configuration_error_naming_the_choices()
    {
        var error = Assert.Throws<ComponentConfigurationException>(() => Read(("Storage:Engine", "mongodb")));
        Assert.That(error!.Message, Does.Contain("Storage:Engine").And.Contain("litedb, sqlite or postgresql"));
    }

    [Test]
    public void Without_an_engine_the_default_is_used_unless_an_earlier_sqlite_archive_is_there()
    {
        var location = Read().Archive(out var kept);
        Assert.That(location.Engine, Is.EqualTo(ArchiveEngines.Default));
        Assert.That(kept, Is.False);

        // A directory an earlier version (SQLite by default) wrote: its archive stays in use.
        File.WriteAllText(Path.Combine(_directory, "archive.db"), "");
        location = Read().Archive(out kept);
        Assert.That(location, Is.EqualTo(new ArchiveLocation(ArchiveEngine.Sqlite, Path.Combine(_directory, "archive.db"))));
        Assert.That(kept, Is.EqualTo(ArchiveEngines.Default != ArchiveEngine.Sqlite));

        // Chosen explicitly, the choice holds.
        Assert.That(Read(("Storage:Engine", "litedb")).Archive(out _).Engine, Is.EqualTo(ArchiveEngine.LiteDb));
    }

    [TestCase("sqlite:data/mix/archive.db", ArchiveEngine.Sqlite, "data/mix/archive.db")]
    [TestCase("litedb:/var/lib/x/archive.litedb", ArchiveEngine.LiteDb, "/var/lib/x/archive.litedb")]
    [TestCase("postgresql:Host=db;Database=mix", ArchiveEngine.PostgreSql, "Host=db;Database=mix")]
    public void A_location_is_written_engine_colon_target(string text, ArchiveEngine engine, string target) =>
        Assert.That(ArchiveLocation.Parse(text), Is.EqualTo(new ArchiveLocation(engine, target)));

    [TestCase("archive.db")]
    [TestCase("mysql:Host=db")]
    [TestCase("sqlite:")]
    public void Anything_else_is_not_a_location(string text) =>
        Assert.Throws<FormatException>(() => ArchiveLocation.Parse(text));
}
