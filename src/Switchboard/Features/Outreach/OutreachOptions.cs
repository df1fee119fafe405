namespace Switchboard.Features.Outreach;

/// <summary>The outreach sender's settings (section <c>Outreach</c>, ADR 0059).</summary>
public sealed class OutreachOptions : IValidatedOptions
{
    public const string Section = "Outreach";

    /// <summary>Whether this instance runs a sender worker (every instance does by default; they share the work).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often an idle worker asks which tenants have outbound email due.</summary>
    public double ScanSeconds { get; set; } = 1;

    /// <summary>Emails one worker sends at once (per tenant being worked).</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>How long a row stays 'sending' under one worker before another treats it as in doubt.</summary>
    public int LeaseSeconds { get; set; } = 300;

    /// <summary>Hard-bounce auto-pause: the mailbox's last this many sends are looked at, and only once there are this many.</summary>
    public int AutoPauseWindow { get; set; } = 200;

    /// <summary>Hard-bounce auto-pause: the share of those sends that may hard-bounce before sending pauses (above it pauses).</summary>
    public double AutoPauseRate { get; set; } = 0.05;

    /// <summary>The waits before attempts 2, 3, … after a transient SMTP error; after these the email has failed.</summary>
    public static readonly IReadOnlyList<TimeSpan> RetrySchedule = [TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30)];

    public static int MaxAttempts => RetrySchedule.Count + 1;

    public IEnumerable<string> Problems()
    {
        if (ScanSeconds is < 0.02 or > 60) yield return "Outreach:ScanSeconds must be between 0.02 and 60.";
        if (Concurrency is < 1 or > 64) yield return "Outreach:Concurrency must be between 1 and 64.";
        if (LeaseSeconds is < 5 or > 3600) yield return "Outreach:LeaseSeconds must be between 5 and 3600.";
        if (AutoPauseWindow is < 10 or > 10000) yield return "Outreach:AutoPauseWindow must be between 10 and 10000.";
        if (AutoPauseRate is <= 0 or >= 1) yield return "Outreach:AutoPauseRate must be between 0 and 1.";
    }
}
