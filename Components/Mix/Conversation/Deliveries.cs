using System.Buffers;
using System.Xml.Linq;
using XmppGroupChat.Component;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mix.Conversation;

/// <summary>
/// What a room sends for one event: templates, each with its recipients and the link of the face it
/// goes out on. One serialisation per template, then per recipient only the template with
/// ` to="…"` spliced in (<see cref="AddressedCopy"/>): the body is never rebuilt per recipient.
/// Collected on the room's executor, then sent from it in the order added, so what a room says
/// reaches each recipient in the order it happened.
/// </summary>
public sealed class Deliveries
{
    private readonly List<(IStanzaSender Via, XElement Template, IReadOnlyList<Jid> To)> _groups = [];

    public bool IsEmpty => _groups.Count == 0;

    public void Add(IStanzaSender via, XElement template, IReadOnlyList<Jid> recipients)
    {
        if (recipients.Count > 0) _groups.Add((via, template, recipients));
    }

    public void Add(IStanzaSender via, XElement template, Jid recipient) => _groups.Add((via, template, [recipient]));

    public async ValueTask SendAsync(CancellationToken ct)
    {
        if (_groups.Count == 0) return;
        var buffer = new ArrayBufferWriter<byte>(1024);
        foreach (var (via, template, recipients) in _groups)
        {
            buffer.ResetWrittenCount();
            StanzaSerializer.Write(template, Ns.Component, buffer);
            foreach (var to in recipients)
                await via.SendSerializedAsync(AddressedCopy.For(buffer.WrittenSpan, to.ToString()), ct);
        }
        _groups.Clear();
    }
}
