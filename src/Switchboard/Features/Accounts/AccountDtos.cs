namespace Switchboard.Features.Accounts;

public sealed record AccountDto(
    Guid Id, string Name, string? Domain, string? Industry, string? Size, string? Phone,
    string? Street, string? City, string? Region, string? PostalCode, string? Country,
    Guid? OwnerId, JsonElement Custom, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version,
    string? ExternalId = null) : IVersionedDto;

/// <summary>The body of POST /api/v1/accounts, and of PATCH as a JSON merge patch (absent = unchanged, null = clear).</summary>
public record AccountWrite : OwnedRecordWrite
{
    public Optional<string?> Name { get; init; }
    public Optional<string?> Domain { get; init; }
    public Optional<string?> Industry { get; init; }
    /// <summary>One of <see cref="AccountSizes.All"/>.</summary>
    public Optional<string?> Size { get; init; }
    public Optional<string?> Phone { get; init; }
    public Optional<string?> Street { get; init; }
    public Optional<string?> City { get; init; }
    public Optional<string?> Region { get; init; }
    public Optional<string?> PostalCode { get; init; }
    /// <summary>A two-letter ISO 3166 code such as US or DE.</summary>
    public Optional<string?> Country { get; init; }
}

public sealed record AccountQuery(string? Q, Guid? OwnerId, string? Sort, int? Page, int? PageSize);

public static class AccountSizes
{
    /// <summary>Employee-count bands, as the accounts.size check constraint allows them.</summary>
    public static readonly IReadOnlyList<string> All = ["1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+"];
}
