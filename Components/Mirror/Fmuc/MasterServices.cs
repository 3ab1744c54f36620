using System.Xml.Linq;
using XmppGroupChat.Component;
using XmppGroupChat.Xmpp;

namespace XmppGroupChat.Mirror.Fmuc;

/// <summary>
/// Whether a master room's service speaks FMUC, so a join names the real user
/// (&lt;fmuc from='…'/&gt;) only to a service that understands it. A plain MUC such as Prosody's
/// mod_muc broadcasts elements it does not know in a join presence, which would show the real
/// JID to every occupant of a semi-anonymous room. The service's disco#info is asked once per
/// domain and remembered: an answer for <see cref="AnswerLifetime"/>, an error or no answer
/// within <see cref="AskTimeout"/> (a plain MUC, then) for <see cref="NoAnswerLifetime"/>.
/// Joins wait for the answer; <see cref="Joining"/> sends them when it comes.
/// </summary>
public sealed class MasterServices(MirrorService mirror, Func<string, CancellationToken, ValueTask> answered)
{
    public static readonly TimeSpan AnswerLifetime = TimeSpan.FromHours(1);
    public static readonly TimeSpan NoAnswerLifetime = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(15);
    private const string IdPrefix = "fmuc-disco-";

    private sealed record Known(bool Fmuc, DateTimeOffset Until);
    private sealed record Asking(string Id, ITimer Timer);

    // Touched under the mirror's gate only (the dispatch loop, or a timeout).
    private readonly Dictionary<string, Known> _known = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Asking> _asking = new(StringComparer.OrdinalIgnoreCase);

    public void Register(StanzaRouter router) =>
        router.OnIq(OnAnswerAsync, iq => iq.IsResponse() && iq.GetTo()!.Local is null && iq.GetId()?.StartsWith(IdPrefix, StringComparison.Ordinal) == true);

    /// <summary>
    /// What is known of <paramref name="service"/>: true for FMUC, false for a plain MUC, null while
    /// nobody knows, or when the knowledge is old unless <paramref name="evenIfOld"/>.
    /// </summary>
    public bool? SpeaksFmuc(string service, bool evenIfOld = false) =>
        _known.TryGetValue(service, out var k) && (evenIfOld || k.Until > mirror.Time.GetUtcNow()) ? k.Fmuc : null;

    /// <summary>
    /// What a restarted mirror had stored of <paramref name="service"/>: usable where old knowledge
    /// will do (a session the master knows already), asked again before any new join.
    /// </summary>
    public void RememberStale(string service, bool fmuc)
    {
        if (!_known.ContainsKey(service)) _known[service] = new Known(fmuc, DateTimeOffset.MinValue);
    }

    /// <summary>Asks <paramref name="service"/> for its features, unless that question is already on its way.</summary>
    public async ValueTask AskAsync(string service, CancellationToken ct)
    {
        if (_asking.ContainsKey(service)) return;
        var id = IdPrefix + Stanza.NewId();
        var timer = mirror.Time.CreateTimer(_ => _ = TimedOutAsync(service, id), null, AskTimeout, Timeout.InfiniteTimeSpan);
        _asking[service] = new Asking(id, timer);
        await mirror.SendUpstreamAsync(Stanza.Iq(StanzaType.Get, mirror.Domain, Jid.Parse(service), new XElement(Ns.DiscoInfo + "query"), id), ct);
    }

    private ValueTask OnAnswerAsync(XElement iq, CancellationToken ct) => mirror.ExclusiveAsync(async () =>
    {
        var service = iq.GetFrom()!;
        if (service.Local != null || service.Resource != null || !_asking.TryGetValue(service.Domain, out var asking) || asking.Id != iq.GetId())
        {
            MirrorLog.Dropped(mirror.Logger, "iq", service.ToString(), (string?)iq.Attribute("to"), "not the answer to a question the mirror asked");
            return;
        }
        if (iq.IsErrorType())
        {
            var condition = (StanzaError.FromStanza(iq)?.Condition ?? StanzaErrorCondition.UndefinedCondition).ToXmlName();
            MirrorLog.MasterServiceUnknown(mirror.Logger, service.Domain, condition, NoAnswerLifetime.TotalMinutes);
            await ResolveAsync(service.Domain, fmuc: false, NoAnswerLifetime, ct);
            return;
        }
        var query = iq.Element(Ns.DiscoInfo + "query");
        var fmuc = query != null && DiscoInfo.Parse(query).HasFeature(Ns.Fmuc.NamespaceName);
        if (_known.GetValueOrDefault(service.Domain)?.Fmuc != fmuc) MirrorLog.MasterServiceKnown(mirror.Logger, service.Domain, fmuc);
        await ResolveAsync(service.Domain, fmuc, AnswerLifetime, ct);
    });

    private async Task TimedOutAsync(string service, string id)
    {
        try
        {
            await mirror.ExclusiveAsync(async () =>
            {
                if (!_asking.TryGetValue(service, out var asking) || asking.Id != id) return; // answered meanwhile
                MirrorLog.MasterServiceUnknown(mirror.Logger, service, "no answer in " + AskTimeout.TotalSeconds + " s", NoAnswerLifetime.TotalMinutes);
                await ResolveAsync(service, fmuc: false, NoAnswerLifetime, CancellationToken.None);
            });
        }
        catch (Exception ex)
        {
            // Nobody awaits a timer: log rather than lose the failure.
            MirrorLog.ReleaseFailed(mirror.Logger, ex, service);
        }
    }

    private async ValueTask ResolveAsync(string service, bool fmuc, TimeSpan lifetime, CancellationToken ct)
    {
        if (_asking.Remove(service, out var asking)) asking.Timer.Dispose();
        _known[service] = new Known(fmuc, mirror.Time.GetUtcNow() + lifetime);
        await answered(service, ct);
    }
}
