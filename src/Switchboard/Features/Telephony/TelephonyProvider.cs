namespace Switchboard.Features.Telephony;

/// <summary>A tenant's configuration of one provider. Secrets are a Data Protection payload, never returned.</summary>
public sealed class TelephonyProvider : ITenantOwned, IAudited, IUpdateStamped
{
    public Guid TenantId { get; set; }
    public required string Provider { get; set; }
    public bool IsActive { get; set; }
    public required JsonDocument Settings { get; set; }
    [AuditSecret] public string? Secrets { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public string AuditEntityType => "telephony-provider";
    public string AuditEntityId => Provider;
}

internal sealed class TelephonyProviderConfiguration : IEntityTypeConfiguration<TelephonyProvider>
{
    public void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<TelephonyProvider> e) =>
        e.ToTable("telephony_providers").HasKey(p => new { p.TenantId, p.Provider });
}
