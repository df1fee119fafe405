using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Switchboard.Features.Mailboxes;

namespace Switchboard.Features.Campaigns;

/// <summary>
/// A one-off email or AI call campaign to a saved view or a list selection of leads or contacts (migration 0046,
/// ADR 0061). The counters are changed only by atomic SQL increments (<see cref="CampaignProgress"/>), never through
/// the tracked entity, so the workers and the outcome observers never overwrite each other.
/// </summary>
public sealed class Campaign : AuditedRow
{
    public required string Name { get; set; }
    public required string Kind { get; set; }
    public required string Entity { get; set; }
    public Guid? ViewId { get; set; }
    public Guid[]? RecordIds { get; set; }
    public string Status { get; set; } = CampaignStatuses.Draft;
    public Guid? MailboxId { get; set; }
    public Guid? TemplateId { get; set; }
    public string? Subject { get; set; }
    public string? TextBody { get; set; }
    public string? HtmlBody { get; set; }
    public string? Provider { get; set; }
    public string? AgentId { get; set; }
    public string? Prompt { get; set; }
    public int Concurrency { get; set; } = 1;
    public int Total { get; set; }
    public int Processed { get; set; }
    public int Sent { get; set; }
    public int Failed { get; set; }
    public int Skipped { get; set; }
    public int SkippedNoAddress { get; set; }
    public int SkippedSuppressed { get; set; }
    public int SkippedDoNotContact { get; set; }
    /// <summary>Whether every recipient row exists (the audience was resolved and written whole).</summary>
    public bool Materialised { get; set; }
    /// <summary>Bumped on every start and resume: the run job's idempotency key carries it.</summary>
    public int Run { get; set; }
    public Guid CreatedBy { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    public override string AuditEntityType => "campaign";
}

/// <summary>One person a campaign reaches: unique per campaign; the email it enqueued or the AI call it triggered.</summary>
public sealed class CampaignRecipient : TenantRow
{
    public Guid CampaignId { get; set; }
    public int Seq { get; set; }
    public required string RelatedType { get; set; }
    public Guid RelatedId { get; set; }
    public string Status { get; set; } = CampaignRecipientStatuses.Pending;
    public string? SkipReason { get; set; }
    public string? Address { get; set; }
    public Guid? OutboundEmailId { get; set; }
    public string? ProviderCallId { get; set; }
    public Guid? CallId { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}

public static class CampaignKinds
{
    public const string Email = "email";
    public const string Call = "call";
    public static readonly IReadOnlyList<string> All = [Email, Call];
}

public static class CampaignStatuses
{
    public const string Draft = "draft";
    public const string Running = "running";
    public const string Paused = "paused";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
    public static readonly IReadOnlyList<string> All = [Draft, Running, Paused, Completed, Cancelled];
}

public static class CampaignRecipientStatuses
{
    public const string Pending = "pending";
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
    public const string Cancelled = "cancelled";
    public static readonly IReadOnlyList<string> All = [Pending, Queued, Sent, Failed, Skipped, Cancelled];
}

public static class CampaignSkipReasons
{
    /// <summary>No email address (email campaigns) or no phone number (call campaigns).</summary>
    public const string NoAddress = "no-address";
    /// <summary>The address is on the tenant's suppression list.</summary>
    public const string Suppressed = "suppressed";
    /// <summary>The lead is marked do-not-call, or the number is on the do-not-call list (call campaigns).</summary>
    public const string DoNotContact = "do-not-contact";
}

public static class CampaignData
{
    extension(SwitchboardDbContext db)
    {
        public DbSet<Campaign> Campaigns => db.Set<Campaign>();
        public DbSet<CampaignRecipient> CampaignRecipients => db.Set<CampaignRecipient>();
    }
}

internal sealed class CampaignConfiguration() : TenantTableConfiguration<Campaign>("campaigns")
{
    protected override void Map(EntityTypeBuilder<Campaign> e)
    {
        e.HasOne<Mailbox>().WithMany().HasForeignKey(c => new { c.TenantId, c.MailboxId }).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CampaignRecipientConfiguration() : TenantTableConfiguration<CampaignRecipient>("campaign_recipients")
{
    protected override void Map(EntityTypeBuilder<CampaignRecipient> e)
    {
        e.HasIndex(r => new { r.TenantId, r.CampaignId, r.RelatedType, r.RelatedId }).IsUnique();
        e.HasIndex(r => new { r.TenantId, r.CampaignId, r.Status, r.Seq });
        e.HasOne<Campaign>().WithMany().HasForeignKey(r => new { r.TenantId, r.CampaignId }).OnDelete(DeleteBehavior.Cascade);
    }
}
