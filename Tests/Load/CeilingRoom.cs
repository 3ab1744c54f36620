using System.Buffers;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using XmppGroupChat.Component;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Load;

/// <summary>
/// Everything the ceiling component does: remember who sent presence to room@domain/nick, and for
/// each groupchat message to the room write one pre-serialised copy per occupant to the link.
/// No roles, history, archive or presence broadcast: it bounds what any component can deliver.
/// Called only from the link's single dispatcher, so it needs no locking.
/// With <paramref name="mucIds"/> each copy also carries what a MUC room with an archive adds
/// (an id, XEP-0359 stanza-id, XEP-0421 occupant-id, like our MUC face's copies), to tell the
/// cost of the copy's shape on the server apart from the cost of the component behind it.
/// </summary>
public sealed class CeilingRoom(IStanzaSender link, bool mucIds)
{
    private readonly Dictionary<Jid, Dictionary<string, Occupant>> _rooms = new();

    private sealed record Occupant(string Nick, byte[] EscapedJid, string OccupantId);

    public async ValueTask OnPresenceAsync(XElement presence, CancellationToken ct)
    {
        if (presence.GetTo() is not { Resource: { } nick } to || presence.GetFrom() is not { } from) return;
        var occupants = Occupants(to.Bare);
        var key = from.ToString();
        var leaving = presence.GetStanzaType() == StanzaType.Unavailable;
        if (leaving) occupants.Remove(key);
        else occupants[key] = new Occupant(nick, Encoding.UTF8.GetBytes(SecurityElement.Escape(key)),
            Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(from.Bare.ToString())))[..20]);

        // The self-presence a MUC client waits for (XEP-0045 status 110).
        var self = Stanza.Presence(to, from, leaving ? StanzaType.Unavailable : null);
        self.Add(new XElement(Ns.MucUser + "x",
            new XElement(Ns.MucUser + "item", new XAttribute("affiliation", "none"), new XAttribute("role", leaving ? "none" : "participant")),
            new XElement(Ns.MucUser + "status", new XAttribute("code", "110"))));
        await link.SendAsync(self, ct);
    }

    public async ValueTask OnGroupchatAsync(XElement message, CancellationToken ct)
    {
        var room = message.GetTo()!.Bare;
        var occupants = Occupants(room);
        if (!occupants.TryGetValue(message.GetFrom()!.ToString(), out var sender))
            throw new StanzaErrorException(StanzaError.Of(StanzaErrorCondition.NotAcceptable, "join the room first"));

        // Serialised once per message; per occupant only the 'to' differs.
        var id = mucIds ? Stanza.NewId() : null;
        var head = Encoding.UTF8.GetBytes(
            $"<message type=\"groupchat\"{(id is null ? "" : $" id=\"{id}\"")} from=\"{SecurityElement.Escape(room.WithResource(sender.Nick).ToString())}\" to=\"");
        var tail = new ArrayBufferWriter<byte>(256);
        tail.Write("\">"u8);
        StanzaSerializer.Write(new XElement(Ns.Component + "body", message.Element(Ns.Component + "body")?.Value ?? ""), Ns.Component, tail);
        if (id != null)
            tail.Write(Encoding.UTF8.GetBytes($"<stanza-id xmlns=\"urn:xmpp:sid:0\" id=\"{id}\" by=\"{room}\"/>" +
                                              $"<occupant-id xmlns=\"urn:xmpp:occupant-id:0\" id=\"{sender.OccupantId}\"/>"));
        tail.Write("</message>"u8);

        foreach (var occupant in occupants.Values)
        {
            var copy = new byte[head.Length + occupant.EscapedJid.Length + tail.WrittenCount];
            head.CopyTo(copy, 0);
            occupant.EscapedJid.CopyTo(copy, head.Length);
            tail.WrittenSpan.CopyTo(copy.AsSpan(head.Length + occupant.EscapedJid.Length));
            await link.SendSerializedAsync(copy, ct);
        }
    }

    private Dictionary<string, Occupant> Occupants(Jid room)
    {
        if (!_rooms.TryGetValue(room, out var occupants)) _rooms[room] = occupants = new Dictionary<string, Occupant>();
        return occupants;
    }
}
