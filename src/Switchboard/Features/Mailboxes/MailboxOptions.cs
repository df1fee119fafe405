namespace Switchboard.Features.Mailboxes;

/// <summary>The configuration section "Mailboxes": how mailboxes are synced and watched (ADR 0056).</summary>
public sealed class MailboxOptions : IValidatedOptions
{
    public const string Section = "Mailboxes";

    /// <summary>Messages fetched and committed per transaction; a sync interrupted between batches resumes after the last.</summary>
    public int BatchSize { get; set; } = 50;
    /// <summary>How often a watched mailbox is synced when its server offers no IDLE, and the fallback sync under IDLE.</summary>
    public int PollSeconds { get; set; } = 60;
    /// <summary>How long a watcher's lease on a mailbox lasts; renewed at a third of it.</summary>
    public int LeaseSeconds { get; set; } = 90;
    /// <summary>How often each instance looks for mailboxes no watcher holds.</summary>
    public int ScanSeconds { get; set; } = 15;
    /// <summary>The most mailboxes one instance watches at once.</summary>
    public int MaxWatchedPerInstance { get; set; } = 200;
    /// <summary>Off: no watcher runs on this instance (syncs then come from the jobs only).</summary>
    public bool WatchEnabled { get; set; } = true;

    public IEnumerable<string> Problems()
    {
        if (BatchSize is < 1 or > 1000) yield return "Mailboxes:BatchSize must be between 1 and 1000.";
        if (PollSeconds is < 5 or > 86_400) yield return "Mailboxes:PollSeconds must be between 5 and 86400.";
        if (LeaseSeconds is < 10 or > 3600) yield return "Mailboxes:LeaseSeconds must be between 10 and 3600.";
        if (ScanSeconds is < 1 or > 3600) yield return "Mailboxes:ScanSeconds must be between 1 and 3600.";
        if (MaxWatchedPerInstance is < 0 or > 10_000) yield return "Mailboxes:MaxWatchedPerInstance must be between 0 and 10000.";
    }
}
