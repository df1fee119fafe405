using Switchboard.Features.Accounts;

namespace Switchboard.Features.Contacts;

public sealed record ContactDto(
    Guid Id, string FirstName, string LastName, string? Title, IReadOnlyList<string> Emails, IReadOnlyList<string> Phones,
    Guid? AccountId, Guid? OwnerId, JsonElement Custom, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version,
    string? ExternalId = null) : IVersionedDto;

/// <summary>The body of POST /api/v1/contacts, and of PATCH as a JSON merge patch (absent = unchanged, null = clear).</summary>
public sealed record ContactWrite : OwnedRecordWrite
{
    public Optional<string?> FirstName { get; init; }
    public Optional<string?> LastName { get; init; }
    public Optional<string?> Title { get; init; }
    /// <summary>Replaces the list (null clears it); blanks are dropped and duplicates merged.</summary>
    public Optional<IReadOnlyList<string>?> Emails { get; init; }
    /// <summary>Replaces the list (null clears it); each number is read in the tenant's default country.</summary>
    public Optional<IReadOnlyList<string>?> Phones { get; init; }
    public Optional<Guid?> AccountId { get; init; }
}

public sealed record ContactQuery(string? Q, Guid? OwnerId, Guid? AccountId, string? Sort, int? Page, int? PageSize);
