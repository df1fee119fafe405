using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Features.Retention;

/// <summary>
/// How many days a tenant keeps each class of data (null: for ever, the default; a tenant without a row keeps
/// everything). Audit entries are not a column here: their retention is <see cref="Tenant.AuditRetentionDays"/>
/// (ADR 0038), read by the database's purge function, and this feature reads and writes it there (ADR 0066).
/// </summary>
public sealed class RetentionSettings : ITenantOwned, IAudited, IUpdateStamped
{
    public Guid TenantId { get; set; }
    public int? RecordingsDays { get; set; }
    public int? TranscriptsDays { get; set; }
    public int? CallLogsDays { get; set; }
    public int? EmailBodiesDays { get; set; }
    public int? ClosedTicketsDays { get; set; }
    public int? DeletedRecordsDays { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public string AuditEntityType => "retention-settings";
    public string AuditEntityId => TenantId.ToString();
}

internal sealed class RetentionSettingsConfiguration : IEntityTypeConfiguration<RetentionSettings>
{
    public void Configure(EntityTypeBuilder<RetentionSettings> e)
    {
        e.ToTable("retention_settings").HasKey(s => s.TenantId);
        e.Property(s => s.TenantId).ValueGeneratedNever();
    }
}

/// <summary>The platform's floor for audit retention (<c>Retention:AuditMinimumDays</c>) and the size of a run's batches.</summary>
public sealed class RetentionOptions : IValidatedOptions
{
    public const string Section = "Retention";

    /// <summary>The fewest days a tenant may keep audit entries; at least a year (the database's own floor, ADR 0038).</summary>
    public int AuditMinimumDays { get; set; } = Audit.AuditRetention.MinimumDays;

    /// <summary>Rows a run removes or clears per transaction.</summary>
    public int BatchSize { get; set; } = 1_000;

    public IEnumerable<string> Problems()
    {
        if (AuditMinimumDays is < Audit.AuditRetention.MinimumDays or > Audit.AuditRetention.MaximumDays)
            yield return $"Retention:AuditMinimumDays must be between {Audit.AuditRetention.MinimumDays} and {Audit.AuditRetention.MaximumDays}.";
        if (BatchSize is < 1 or > 100_000) yield return "Retention:BatchSize must be between 1 and 100000.";
    }
}

/// <summary>
/// A tenant's retention as the API answers it: days per class, null for ever; the audit floor it must respect; and how
/// the deletion of expired recordings at the telephony provider stands.
/// </summary>
public sealed record RetentionSettingsDto(
    int? RecordingsDays, int? TranscriptsDays, int? CallLogsDays, int? EmailBodiesDays, int? ClosedTicketsDays, int? DeletedRecordsDays,
    int? AuditEntriesDays, int AuditMinimumDays, int MaximumDays, RecordingDeletionsDto RecordingDeletions);

/// <summary>
/// Recordings retention has asked the provider to delete (ADR 0071) that are not deleted yet: still queued or being
/// retried (<see cref="Pending"/>), or given up after every attempt (<see cref="Failed"/>), with the latest error.
/// </summary>
public sealed record RecordingDeletionsDto(int Pending, int Failed, string? LastError);

/// <summary>The body of PUT /api/v1/settings/retention: the whole setting; a field absent or null keeps that class for ever.</summary>
public sealed record RetentionSettingsWrite : RequestBody
{
    /// <summary>Days to keep call recordings (deleted at the telephony provider, and their link and length cleared on the call), 1 to 36,500.</summary>
    public Optional<int?> RecordingsDays { get; init; }
    /// <summary>Days to keep call transcripts (text and utterances), 1 to 36,500.</summary>
    public Optional<int?> TranscriptsDays { get; init; }
    /// <summary>Days to keep finished calls themselves (with their provider events), 1 to 36,500.</summary>
    public Optional<int?> CallLogsDays { get; init; }
    /// <summary>Days to keep the bodies of synced and outreach emails (the message's headers stay), 1 to 36,500.</summary>
    public Optional<int?> EmailBodiesDays { get; init; }
    /// <summary>Days to keep solved tickets after they were solved, 1 to 36,500.</summary>
    public Optional<int?> ClosedTicketsDays { get; init; }
    /// <summary>Days to keep emails deleted from the mail server (the CRM's copy), 1 to 36,500.</summary>
    public Optional<int?> DeletedRecordsDays { get; init; }
    /// <summary>Days to keep audit entries: the platform's minimum (Retention:AuditMinimumDays, at least 365) to 36,500.</summary>
    public Optional<int?> AuditEntriesDays { get; init; }
}
