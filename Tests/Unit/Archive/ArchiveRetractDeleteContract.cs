using static XmppGroupChat.Tests.Unit.Archive.ArchiveSamples;
using XmppGroupChat.Tests.Unit.Archive.Engines;
using System.Xml.Linq;
using XmppGroupChat.Archive;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Tests.Unit.Archive;

/// <summary>Retraction (a tombstone replaces the stored stanza) and deletion of a whole archive.</summary>

public sealed class ArchiveRetractDeleteContract(EngineUnderTest engine) : ArchiveContractTests(engine)
{
    private static readonly XNamespace Retract = "urn:xmpp:message-retract:1";

    [Test]
    public async Task A_retracted_message_comes_back_as_a_tombstone_with_its_envelope_and_ids()
    {
        var archive = await OpenAsync();
        var messages = await AppendSequentiallyAsync(archive, Room, 3);
        var original = Message(1);
        original.Add(new XElement(Ns.StanzaId + "stanza-id", new XAttribute("id", "sid-1"), new XAttribute("by", Room)));
        var target = await archive.AppendAsync(Room, new MessageDraft("bob@test", "bob", original));
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        Assert.That(await archive.RetractAsync(Room, target.Id), Is.True);

        var page = await archive.QueryAsync(Room, new ArchiveQuery());
        Assert.That(page.Count, Is.EqualTo(4));
        Assert.That(Ids(page.Messages), Is.EqualTo(Ids(messages).Append(target.Id)));
        var tombstone = page.Messages[^1];
        Assert.That(tombstone.Retracted, Is.True);
        Assert.That(tombstone.Stamp, Is.EqualTo(target.Stamp));
        Assert.That(tombstone.SenderBareJid, Is.EqualTo("bob@test"));
        var stanza = tombstone.Stanza;
        Assert.That(stanza.Name, Is.EqualTo(Ns.Component + "message"));
        Assert.That(stanza.Attributes().Select(a => (a.Name, a.Value)), Is.EquivalentTo(original.Attributes().Select(a => (a.Name, a.Value))));
        Assert.That(stanza.Elements().Select(e => e.Name), Is.EqualTo(new[]
        {
            Ns.StanzaId + "origin-id", Ns.StanzaId + "stanza-id", Retract + "retracted",
        }));
        Assert.That(stanza.Element(Ns.StanzaId + "origin-id")!.Attribute("id")!.Value, Is.EqualTo("origin-1"));
        Assert.That(stanza.Element(Ns.StanzaId + "stanza-id")!.Attribute("id")!.Value, Is.EqualTo("sid-1"));
        var stamp = XmppDateTime.Parse(stanza.Element(Retract + "retracted")!.Attribute("stamp")!.Value);
        Assert.That(stamp, Is.GreaterThan(before).And.LessThanOrEqualTo(DateTimeOffset.UtcNow));

        // The others are untouched.
        Assert.That(page.Messages.Take(3).All(m => !m.Retracted), Is.True);
        XmlAssert.AreEqual(Message(0), page.Messages[0].Stanza);
    }

    [Test]
    public async Task The_retracted_content_is_gone_from_the_file()
    {
        var archive = await OpenAsync();
        var secret = Message(1);
        secret.Element(Ns.Component + "body")!.Value = "the secret word is swordfish";
        var message = await archive.AppendAsync(Room, new MessageDraft("alice@test", "alice", secret));
        await archive.RetractAsync(Room, message.Id);

        var stored = string.Join("\n", await Engine.StoredStanzasAsync(archive, Target));
        Assert.That(stored, Does.Not.Contain("swordfish"));
        Assert.That(stored, Does.Contain("retracted"));
    }

    [Test]
    public async Task Retracting_an_absent_message_or_one_of_another_archive_is_false_and_retracting_twice_is_true()
    {
        var archive = await OpenAsync();
        var message = await archive.AppendAsync(Room, Draft(1));
        Assert.That(await archive.RetractAsync(Room, "no-such-id"), Is.False);
        Assert.That(await archive.RetractAsync(OtherRoom, message.Id), Is.False);
        Assert.That((await archive.QueryAsync(Room, new ArchiveQuery())).Messages.Single().Retracted, Is.False);

        Assert.That(await archive.RetractAsync(Room, message.Id), Is.True);
        var first = (await archive.QueryAsync(Room, new ArchiveQuery())).Messages.Single().Stanza;
        await Task.Delay(5);
        Assert.That(await archive.RetractAsync(Room, message.Id), Is.True);
        var second = (await archive.QueryAsync(Room, new ArchiveQuery())).Messages.Single().Stanza;
        Assert.That(XNode.DeepEquals(first, second), Is.True, "the first retraction's stamp is kept");
    }

    [Test]
    public async Task A_retracted_message_is_still_a_paging_anchor()
    {
        var archive = await OpenAsync();
        var messages = await AppendSequentiallyAsync(archive, Room, 5);
        await archive.RetractAsync(Room, messages[2].Id);
        var page = await archive.QueryAsync(Room, new ArchiveQuery(After: messages[2].Id));
        Assert.That(Ids(page.Messages), Is.EqualTo(Ids(messages.Skip(3))));
        Assert.That(page.FirstIndex, Is.EqualTo(3));
    }

    [Test]
    public async Task Deleting_an_archive_removes_its_history_only_and_a_new_history_starts_at_index_zero()
    {
        var archive = await OpenAsync();
        var old = await AppendSequentiallyAsync(archive, Room, 10);
        var other = await AppendSequentiallyAsync(archive, OtherRoom, 3);

        await archive.DeleteArchiveAsync(Room);

        var page = await archive.QueryAsync(Room, new ArchiveQuery());
        Assert.That(page.Messages, Is.Empty);
        Assert.That(page.Count, Is.Zero);
        Assert.That(Ids((await archive.QueryAsync(OtherRoom, new ArchiveQuery())).Messages), Is.EqualTo(Ids(other)));
        Assert.ThrowsAsync<ArchiveItemNotFoundException>(() => archive.QueryAsync(Room, new ArchiveQuery(After: old[3].Id)));
        Assert.That(await archive.RetractAsync(Room, old[0].Id), Is.False);

        var fresh = await AppendSequentiallyAsync(archive, Room, 2);
        page = await archive.QueryAsync(Room, new ArchiveQuery(Before: "", Max: 1));
        Assert.That(Ids(page.Messages), Is.EqualTo(new[] { fresh[1].Id }));
        Assert.That(page.Count, Is.EqualTo(2));
        Assert.That(page.FirstIndex, Is.EqualTo(1));
        Assert.That(fresh.Select(m => m.Id).Intersect(old.Select(m => m.Id)), Is.Empty);

        await archive.DeleteArchiveAsync("never@mix.test"); // nothing to delete is fine
    }
}
