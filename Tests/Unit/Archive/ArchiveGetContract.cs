using static XmppGroupChat.Tests.Unit.Archive.ArchiveSamples;
using XmppGroupChat.Tests.Unit.Archive.Engines;
using System.Xml.Linq;
using XmppGroupChat.Archive;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Archive;

/// <summary>Reading one message by its archive id (what MIX-MISC retraction needs to find a message's sender).</summary>

public sealed class ArchiveGetContract(EngineUnderTest engine) : ArchiveContractTests(engine)
{
    private static readonly XNamespace Retract = "urn:xmpp:message-retract:1";

    [Test]
    public async Task A_message_is_found_by_id_exactly_as_a_query_returns_it()
    {
        var archive = await OpenAsync();
        var messages = await AppendSequentiallyAsync(archive, Room, 5, i => i % 2 == 0 ? "alice@test" : "bob@test");
        var page = await archive.QueryAsync(Room, new ArchiveQuery());

        foreach (var expected in page.Messages)
        {
            var found = await archive.GetAsync(Room, expected.Id);
            Assert.That(found, Is.Not.Null);
            Assert.That(found!.Id, Is.EqualTo(expected.Id));
            Assert.That(found.Stamp, Is.EqualTo(expected.Stamp));
            Assert.That(found.SenderBareJid, Is.EqualTo(expected.SenderBareJid));
            Assert.That(found.SenderNick, Is.EqualTo(expected.SenderNick));
            Assert.That(found.Retracted, Is.False);
            XmlAssert.AreEqual(expected.Stanza, found.Stanza);
        }
        Assert.That((await archive.GetAsync(Room, messages[3].Id))!.SenderBareJid, Is.EqualTo("bob@test"));
    }

    [Test]
    public async Task An_unknown_id_or_one_of_another_archive_is_null()
    {
        var archive = await OpenAsync();
        var message = await archive.AppendAsync(Room, Draft(1));
        Assert.That(await archive.GetAsync(Room, "no-such-id"), Is.Null);
        Assert.That(await archive.GetAsync(OtherRoom, message.Id), Is.Null);
        Assert.That(await archive.GetAsync("never@mix.test", message.Id), Is.Null);
    }

    [Test]
    public async Task A_retracted_message_is_its_tombstone_and_keeps_its_sender()
    {
        var archive = await OpenAsync();
        var message = await archive.AppendAsync(Room, Draft(1, "bob@test"));
        await archive.RetractAsync(Room, message.Id);

        var found = await archive.GetAsync(Room, message.Id);
        Assert.That(found!.Retracted, Is.True);
        Assert.That(found.SenderBareJid, Is.EqualTo("bob@test"));
        Assert.That(found.Stanza.Element(Ns.Component + "body"), Is.Null);
        Assert.That(found.Stanza.Element(Retract + "retracted"), Is.Not.Null);
    }

    [Test]
    public async Task The_returned_stanza_is_a_copy()
    {
        var archive = await OpenAsync();
        var message = await archive.AppendAsync(Room, Draft(1));
        (await archive.GetAsync(Room, message.Id))!.Stanza.RemoveNodes();
        Assert.That((await archive.GetAsync(Room, message.Id))!.Stanza.Element(Ns.Component + "body"), Is.Not.Null);
    }
}
