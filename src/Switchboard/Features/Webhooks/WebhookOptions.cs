namespace Switchboard.Features.Webhooks;

/// <summary>The dispatcher's settings (section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions : IValidatedOptions
{
    public const string Section = "Webhooks";

    /// <summary>Whether this instance runs a dispatcher (every instance does by default; they share the work).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often an idle dispatcher looks for work when nothing woke it (a fallback).</summary>
    public double PollSeconds { get; set; } = 1;

    /// <summary>
    /// How often a dispatcher scans the events' sequence for tenants with new events (ADR 0055): the delay between a
    /// change's commit and its delivery starting. Changes send no NOTIFY, which would serialise their commits.
    /// </summary>
    public double ScanSeconds { get; set; } = 0.2;

    /// <summary>Subscriptions delivered in parallel by this instance.</summary>
    public int Concurrency { get; set; } = 8;

    /// <summary>Deliveries of one subscription taken (and recorded) per round.</summary>
    public int BatchSize { get; set; } = 100;

    public int LeaseSeconds { get; set; } = 60;

    public int TimeoutSeconds { get; set; } = 15;

    /// <summary>How long an endpoint may fail (no success in between) before its subscription is disabled and admins are emailed.</summary>
    public double DisableAfterDays { get; set; } = 5;

    /// <summary>How long delivery rows and events are kept.</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>The waits before attempts 2, 3, …: after these, a delivery has failed for good.</summary>
    public static readonly IReadOnlyList<TimeSpan> RetrySchedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary>Attempts per delivery: the immediate one and one per wait of <see cref="RetrySchedule"/>.</summary>
    public static int MaxAttempts => RetrySchedule.Count + 1;

    public IEnumerable<string> Problems()
    {
        if (PollSeconds is < 0.05 or > 60) yield return "Webhooks:PollSeconds must be between 0.05 and 60.";
        if (ScanSeconds is < 0.02 or > 60) yield return "Webhooks:ScanSeconds must be between 0.02 and 60.";
        if (Concurrency is < 1 or > 256) yield return "Webhooks:Concurrency must be between 1 and 256.";
        if (BatchSize is < 1 or > 1000) yield return "Webhooks:BatchSize must be between 1 and 1000.";
        if (LeaseSeconds is < 5 or > 3600) yield return "Webhooks:LeaseSeconds must be between 5 and 3600.";
        if (TimeoutSeconds is < 1 or > 60) yield return "Webhooks:TimeoutSeconds must be between 1 and 60.";
        if (DisableAfterDays is < 0.01 or > 60) yield return "Webhooks:DisableAfterDays must be between 0.01 and 60.";
        if (RetentionDays is < 1 or > 365) yield return "Webhooks:RetentionDays must be between 1 and 365.";
    }
}
