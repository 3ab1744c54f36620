namespace XmppGroupChat.Component;

/// <summary>
/// What the stream reader takes from a server, in two tiers. A stanza over a per-stanza limit is
/// one user's stanza that the server accepted and forwarded: it is read to its end without being
/// built, and refused on its own with a stanza error while the stream carries on. Only the stream
/// limits, far above anything a server's default client and server-to-server limits let through,
/// close the stream: they bound the memory the parser itself needs, whatever a broken server sends.
/// </summary>
public sealed record StanzaLimits
{
    /// <summary>
    /// Largest stanza, in bytes on the wire, that is built and handled (give or take the parser's
    /// read-ahead, <see cref="LimitedReadStream.ReadAheadSlack"/>).
    /// </summary>
    public int MaxStanzaBytes { get; init; } = 512 * 1024;

    /// <summary>Deepest element nesting in one stanza that is built and handled (the stanza itself is level 1).</summary>
    public int MaxStanzaDepth { get; init; } = 32;

    /// <summary>
    /// Most attributes (namespace declarations included) on one element of a stanza that is built.
    /// XElement checks each added attribute against the ones already there, so an element with tens
    /// of thousands of them would cost seconds to build; real stanzas have a handful.
    /// </summary>
    public int MaxAttributesPerElement { get; init; } = 128;

    /// <summary>
    /// Largest stanza the stream tolerates at all; beyond it the stream is closed with
    /// policy-violation. Prosody's and ejabberd's default limits (256 KiB from clients, 512 KiB from
    /// other servers) stay far below it even after the server re-escapes text six-fold
    /// (' becomes &amp;apos;). It also bounds each attribute value, which the parser materialises whole.
    /// </summary>
    public int MaxStreamStanzaBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// Deepest nesting the stream tolerates at all. The parser keeps about 150 bytes per open
    /// element, so 16 MiB of &lt;a&gt; would cost it some 850 MB; 2^18 levels cost about 40 MB and
    /// are more than a 512 KiB stanza can nest (about 175,000 levels).
    /// </summary>
    public int MaxStreamStanzaDepth { get; init; } = 1 << 18;
}
