using System.Xml.Linq;

namespace XmppGroupChat.Xmpp;

/// <summary>XML namespaces the suite speaks, by their XMPP names.</summary>
public static class Ns
{
    public static readonly XNamespace Component = "jabber:component:accept";
    public static readonly XNamespace Client = "jabber:client";
    public static readonly XNamespace Stream = "http://etherx.jabber.org/streams";
    public static readonly XNamespace StreamErrors = "urn:ietf:params:xml:ns:xmpp-streams";
    public static readonly XNamespace Stanzas = "urn:ietf:params:xml:ns:xmpp-stanzas";
    public static readonly XNamespace Sasl = "urn:ietf:params:xml:ns:xmpp-sasl";
    public static readonly XNamespace Bind = "urn:ietf:params:xml:ns:xmpp-bind";
    public static readonly XNamespace Session = "urn:ietf:params:xml:ns:xmpp-session";
    public static readonly XNamespace Register = "jabber:iq:register";
    public static readonly XNamespace DiscoInfo = "http://jabber.org/protocol/disco#info";
    public static readonly XNamespace DiscoItems = "http://jabber.org/protocol/disco#items";
    public static readonly XNamespace Ping = "urn:xmpp:ping";
    public static readonly XNamespace DataForms = "jabber:x:data";
    public static readonly XNamespace Rsm = "http://jabber.org/protocol/rsm";
    public static readonly XNamespace Delay = "urn:xmpp:delay";
    public static readonly XNamespace Version = "jabber:iq:version";
    public static readonly XNamespace Muc = "http://jabber.org/protocol/muc";
    public static readonly XNamespace MucUser = "http://jabber.org/protocol/muc#user";
    public static readonly XNamespace MucAdmin = "http://jabber.org/protocol/muc#admin";
    public static readonly XNamespace MucOwner = "http://jabber.org/protocol/muc#owner";
    public static readonly XNamespace Mix0 = "urn:xmpp:mix:0";
    public static readonly XNamespace MixCore = "urn:xmpp:mix:core:1";
    public static readonly XNamespace MixCore0 = "urn:xmpp:mix:core:0";
    public static readonly XNamespace Mam = "urn:xmpp:mam:2";
    public static readonly XNamespace StanzaId = "urn:xmpp:sid:0";
    public static readonly XNamespace PubSub = "http://jabber.org/protocol/pubsub";
    public static readonly XNamespace PubSubEvent = "http://jabber.org/protocol/pubsub#event";
    public static readonly XNamespace Fmuc = "http://isode.com/protocol/fmuc";
    public static readonly XNamespace Dmuc = "urn:xmpp:tmp:dmuc:0";

    /// <summary>True for the two stanza namespaces a stream can carry (client and component streams).</summary>
    public static bool IsStanzaNamespace(XNamespace ns) => ns == Component || ns == Client;
}
