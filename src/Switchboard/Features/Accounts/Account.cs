using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Features.Accounts;

/// <summary>A company the tenant sells to.</summary>
public sealed class Account : IOwnedRecord
{
    public Guid TenantId { get; set; }
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public string? Domain { get; set; }
    public string? Industry { get; set; }
    public string? Size { get; set; }
    public string? Phone { get; set; }
    public string? Street { get; set; }
    public string? City { get; set; }
    public string? Region { get; set; }
    public string? PostalCode { get; set; }
    public string? Country { get; set; }
    public Guid? OwnerId { get; set; }

    /// <summary>The record's id in the system it was imported from; an import match key, unique per tenant.</summary>
    public string? ExternalId { get; set; }

    /// <summary>Custom field values by key (see custom_fields).</summary>
    public JsonDocument Custom { get; set; } = JsonDocument.Parse("{}");
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; } = 1;

    public string AuditEntityType => "account";
    public string AuditEntityId => Id.ToString();
}

internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> e)
    {
        e.ToTable("accounts");
        e.HasKey(a => new { a.TenantId, a.Id });
        e.Property(a => a.Custom).HasColumnType("jsonb");
        Search.SearchColumns.Map(e, "account_search_text(name, domain)");
    }
}
