using System.Diagnostics.Metrics;

namespace Switchboard.Platform.Observability;

/// <summary>
/// Every instrument of Switchboard's own meter, by name (ADR 0063). The HTTP, database-pool, runtime and SignalR series
/// come from the meters of ASP.NET Core, Npgsql and .NET (see <see cref="ObservabilityComposition"/>); these are the ones
/// only the app can know. Prometheus names: dots become underscores, the unit is appended (<c>_seconds</c>) and counters
/// end in <c>_total</c>, so <c>switchboard.signin.failures</c> is scraped as <c>switchboard_signin_failures_total</c>.
/// </summary>
[Singleton]
public sealed class SwitchboardInstruments
{
    public const string MeterName = "Switchboard";

    public const string SignInFailuresName = "switchboard.signin.failures";
    public const string ImportRowsName = "switchboard.import.rows";
    public const string CampaignRecipientsName = "switchboard.campaign.recipients";
    public const string QueueDepthName = "switchboard.queue.depth";
    public const string QueueDueName = "switchboard.queue.due";
    public const string QueueOldestAgeName = "switchboard.queue.oldest_age";
    public const string ActiveCallsName = "switchboard.calls.active";
    public const string ReplicationLagName = "switchboard.db.replication_lag";
    public const string StandbyReadsName = "switchboard.db.standby_reads";

    private readonly Counter<long> _signInFailures;
    private readonly Counter<long> _importRows;
    private readonly Counter<long> _campaignRecipients;
    private readonly Counter<long> _standbyReads;

    public SwitchboardInstruments(IMeterFactory meters, BacklogSnapshots backlog)
    {
        var meter = meters.Create(MeterName);
        _signInFailures = meter.CreateCounter<long>(SignInFailuresName, "{failure}",
            "Sign-ins refused, by method (password, passkey, sso) and reason (see SignInFailures).");
        _importRows = meter.CreateCounter<long>(ImportRowsName, "{row}",
            "CSV rows of imports that finished their merge, by outcome (valid: merged; failed: reported as an import error).");
        _campaignRecipients = meter.CreateCounter<long>(CampaignRecipientsName, "{recipient}",
            "Campaign recipients that reached an end, by campaign kind (email, call) and outcome (sent, failed, skipped).");
        _standbyReads = meter.CreateCounter<long>(StandbyReadsName, "{request}",
            "Requests whose reports, exports or search could go to a standby (ADR 0070), by served_by: standby, or primary when the standby had not caught up in time, failed, or prefer-standby found none.");

        // Read from one cached snapshot of the database (BacklogSnapshots): a scrape never waits on a slow query, and
        // several instances scraped every few seconds cost one small query each per Observability:BacklogCacheSeconds.
        // Queue: job (kind = the job kind), webhook (pending deliveries), email (platform mail), outreach (tenant mail).
        meter.CreateObservableGauge(QueueDepthName, () => Queues(backlog, (q, _) => q.Depth), "{item}",
            "Work waiting in a queue, scheduled for later included.");
        meter.CreateObservableGauge(QueueDueName, () => Queues(backlog, (q, _) => q.Due), "{item}",
            "Work waiting in a queue whose time has come.");
        meter.CreateObservableGauge(QueueOldestAgeName, () => Queues(backlog, (q, readAt) => q.OldestDueAge(readAt)), "s",
            "How long the longest-waiting due item of a queue has waited (0 when nothing is due).");
        meter.CreateObservableGauge(ActiveCallsName, () => ActiveCalls(backlog), "{call}",
            "Calls not yet ended (queued, initiated, ringing, in progress), by status, on every tenant.");
        meter.CreateObservableGauge(ReplicationLagName, () => ReplicationLag(backlog), "s",
            "On a standby: seconds since the last replayed commit. On a primary: its standbys' largest replay lag. Absent without replication.");
    }

    /// <summary>Counts a refused sign-in from its audit row's details ("method", "reason": bounded lists of constants).</summary>
    public void SignInFailed(JsonDocument? details)
    {
        var method = Text(details, "method") ?? SignInMethods.Password;
        var reason = Text(details, "reason") ?? "unknown";
        _signInFailures.Add(1, new KeyValuePair<string, object?>("method", method), new KeyValuePair<string, object?>("reason", reason));
    }

    private static string? Text(JsonDocument? details, string name) =>
        details?.RootElement is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() : null;

    public void ImportRowsRead(int valid, int failed)
    {
        if (valid > 0) _importRows.Add(valid, new KeyValuePair<string, object?>("outcome", "valid"));
        if (failed > 0) _importRows.Add(failed, new KeyValuePair<string, object?>("outcome", "failed"));
    }

    /// <summary>A campaign recipient reached an end (sent, failed, skipped), as the campaign's progress counts it.</summary>
    public void CampaignRecipientFinished(string kind, string outcome) =>
        _campaignRecipients.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>A request's standby-eligible reads ran on <paramref name="servedBy"/> ("standby" or "primary").</summary>
    public void StandbyReadServed(string servedBy) => _standbyReads.Add(1, new KeyValuePair<string, object?>("served_by", servedBy));

    private static IEnumerable<Measurement<double>> Queues(BacklogSnapshots backlog, Func<QueueBacklog, DateTimeOffset, double> value) =>
        backlog.Read() is not { } snapshot ? []
        : snapshot.Queues.Select(q => new Measurement<double>(value(q, snapshot.ReadAt),
            new KeyValuePair<string, object?>("queue", q.Queue), new KeyValuePair<string, object?>("kind", q.Kind))).ToList();

    private static IEnumerable<Measurement<double>> ReplicationLag(BacklogSnapshots backlog) =>
        backlog.Read()?.Replication is { Replicates: true, LagSeconds: { } lag } replication
            ? [new Measurement<double>(lag, new KeyValuePair<string, object?>("role", replication.IsStandby ? "standby" : "primary"))]
            : [];

    private static IEnumerable<Measurement<long>> ActiveCalls(BacklogSnapshots backlog) =>
        (backlog.Read()?.LiveCalls ?? [])
        .Select(c => new Measurement<long>(c.Count, new KeyValuePair<string, object?>("status", c.Status))).ToList();
}
