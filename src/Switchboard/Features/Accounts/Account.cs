using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Features.Accounts;

/// <summary>A company the tenant sells to.</summary>
public sealed class Account : OwnedRecord
{
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

    /// <summary>The record's id in the system it was imported from; an import match key, unique per tenant.</summary>
    public string? ExternalId { get; set; }

    public override string AuditEntityType => "account";
}

internal sealed class AccountConfiguration() : TenantTableConfiguration<Account>("accounts")
{
    protected override void Map(EntityTypeBuilder<Account> e)
    {
        Search.SearchColumns.Map(e, "account_search_text(name, domain)");
    }
}
