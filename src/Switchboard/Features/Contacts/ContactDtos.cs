using Switchboard.Features.Accounts;

namespace Switchboard.Features.Contacts;

public sealed record ContactDto(
    Guid Id, string FirstName, string LastName, string? Title, IReadOnlyList<string> Emails, IReadOnlyList<string> Phones,
    Guid? AccountId, Guid? OwnerId, JsonElement Custom, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version,
    string? ExternalId = null) : IVersionedDto;

/// <summary>The body of POST and PATCH /api/v1/contacts (documented shape; PATCH is a JSON merge patch of it).</summary>
public sealed record ContactWrite(
    string? FirstName, string? LastName, string? Title, IReadOnlyList<string>? Emails, IReadOnlyList<string>? Phones,
    Guid? AccountId, Guid? OwnerId, JsonElement? Custom, int? Version);

public sealed record ContactQuery(string? Q, Guid? OwnerId, Guid? AccountId, string? Sort, int? Page, int? PageSize);
