using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Features.Webhooks;

/// <summary>
/// A tenant's outbound webhook (ADR 0055): the URL, the event types it wants (<c>*</c> for all), an optional filter on
/// the fields an update changed, and its Standard Webhooks signing secret (encrypted; the previous one stays valid for
/// 24 hours after a rotation). <see cref="CursorXact"/>/<see cref="CursorSeq"/> are the dispatcher's: the last event
/// fanned out to it.
/// </summary>
public sealed class WebhookSubscription : AuditedRow
{
    public required string Url { get; set; }
    public string? Description { get; set; }
    public required string[] Events { get; set; }
    public string[]? ChangedFields { get; set; }
    public bool Enabled { get; set; } = true;
    [AuditSecret] public required string Secret { get; set; }
    [AuditSecret] public string? PreviousSecret { get; set; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }
    public string? DisabledReason { get; set; }
    public DateTimeOffset? FailingSince { get; set; }
    public long CursorXact { get; set; }
    public long CursorSeq { get; set; }
    public Guid? CreatedBy { get; set; }

    public override string AuditEntityType => "webhook";
}

/// <summary>An event in the outbox, written in the transaction of the change it describes. <see cref="Body"/> is the exact JSON sent.</summary>
public sealed class WebhookEvent : TenantRow
{
    public long Seq { get; set; }
    public long Xact { get; set; }
    public required string Type { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>For updates: the API names of the fields the update changed (the changed-fields filter reads them).</summary>
    public string[]? Changed { get; set; }
    public required string Body { get; set; }
}

/// <summary>One attempt to deliver an event to a subscription (or the next one, while <see cref="Status"/> is pending).</summary>
public sealed class WebhookDelivery : TenantRow
{
    public Guid SubscriptionId { get; set; }
    public Guid EventId { get; set; }
    public long EventXact { get; set; }
    public long EventSeq { get; set; }
    public int Attempt { get; set; }
    public required string Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? AttemptedAt { get; set; }
    public JsonDocument? RequestHeaders { get; set; }
    public int? ResponseStatus { get; set; }
    public string? ResponseBody { get; set; }
    public string? Error { get; set; }
    public int? DurationMs { get; set; }
}

public static class WebhookDeliveryStatuses
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
    public static readonly IReadOnlyList<string> All = [Pending, Delivered, Failed];
}

internal sealed class WebhookSubscriptionConfiguration() : TenantTableConfiguration<WebhookSubscription>("webhook_subscriptions")
{
    protected override void Map(EntityTypeBuilder<WebhookSubscription> e)
    {
        // The dispatcher moves these with its own SQL; an admin's open edit must not go stale because of a delivery.
        e.Property(s => s.CursorXact).NotVersioned();
        e.Property(s => s.CursorSeq).NotVersioned();
        e.Property(s => s.FailingSince).NotVersioned();
    }
}

internal sealed class WebhookEventConfiguration() : TenantTableConfiguration<WebhookEvent>("webhook_events")
{
    protected override void Map(EntityTypeBuilder<WebhookEvent> e)
    {
        e.Property(x => x.Seq).UseIdentityAlwaysColumn().ValueGeneratedOnAdd();
        e.Property(x => x.Xact).HasDefaultValueSql("pg_current_xact_id()::text::bigint").ValueGeneratedOnAdd();
    }
}

internal sealed class WebhookDeliveryConfiguration() : TenantTableConfiguration<WebhookDelivery>("webhook_deliveries");

public static class WebhooksData
{
    extension(SwitchboardDbContext db)
    {
        public DbSet<WebhookSubscription> WebhookSubscriptions => db.Set<WebhookSubscription>();
        public DbSet<WebhookEvent> WebhookEvents => db.Set<WebhookEvent>();
        public DbSet<WebhookDelivery> WebhookDeliveries => db.Set<WebhookDelivery>();
    }
}
