using System.Xml.Linq;

namespace XmppGroupChat.Component.Routing;

/// <summary>Answers an IQ get/set: returns the result payload (null for an empty result) or throws <see cref="Xmpp.StanzaErrorException"/>.</summary>
public delegate ValueTask<XElement?> IqHandler(XElement iq, CancellationToken cancellationToken);

/// <summary>Handles a message, a presence, or (for relays) any IQ; replies itself or throws <see cref="Xmpp.StanzaErrorException"/>.</summary>
public delegate ValueTask StanzaHandler(XElement stanza, CancellationToken cancellationToken);
