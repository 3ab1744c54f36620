using System.Xml.Linq;
using XmppGroupChat.Mix.Rooms;

namespace XmppGroupChat.Mix.Conversation;

/// <summary>
/// A message someone sends to the room, as the face it came by understood it: who, what (the
/// content to keep, without the face's own wrapping), the stanza as it arrived (for the sender's
/// id and for an error reply), and for an occupant, the occupant (its role decides whether it may speak).
/// </summary>
public sealed record Speech(Face Origin, Speaker Speaker, IReadOnlyList<XElement> Content, XElement Original, Occupant? Occupant = null)
{
    /// <summary>The id the sender gave its message: MUC clients match their echo by it.</summary>
    public string? OriginalId => Original.Name.LocalName == "message" ? (string?)Original.Attribute("id") : null;
}
