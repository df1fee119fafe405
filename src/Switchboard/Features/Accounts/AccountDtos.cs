
namespace Switchboard.Features.Accounts;

public sealed record AccountDto(
    Guid Id, string Name, string? Domain, string? Industry, string? Size, string? Phone,
    string? Street, string? City, string? Region, string? PostalCode, string? Country,
    Guid? OwnerId, JsonElement Custom, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version,
    string? ExternalId = null) : IVersionedDto;

/// <summary>The body of POST and PATCH /api/v1/accounts (documented shape; PATCH is a JSON merge patch of it).</summary>
public sealed record AccountWrite(
    string? Name, string? Domain, string? Industry, string? Size, string? Phone,
    string? Street, string? City, string? Region, string? PostalCode, string? Country,
    Guid? OwnerId, JsonElement? Custom, int? Version);

public sealed record AccountQuery(string? Q, Guid? OwnerId, string? Sort, int? Page, int? PageSize);

public static class AccountSizes
{
    /// <summary>Employee-count bands, as the accounts.size check constraint allows them.</summary>
    public static readonly IReadOnlyList<string> All = ["1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+"];
}
