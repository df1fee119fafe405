namespace Switchboard.Features.Leads;

public sealed record LeadDto(
    Guid Id, string FirstName, string LastName, string? Company, string? Title, string? Email, string? Phone,
    string Status, string? Source, Guid? OwnerId, string? Notes, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version,
    string? TimeZone = null, bool DoNotCall = false, DateTimeOffset? LastCalledAt = null, DateTimeOffset? CallbackAt = null,
    JsonElement? Custom = null, DateTimeOffset? ConvertedAt = null, Guid? ConvertedAccountId = null, Guid? ConvertedContactId = null,
    Guid? ConvertedOpportunityId = null, string? ExternalId = null, string? LinkedinUrl = null) : IVersionedDto;

/// <summary>The body of POST /api/v1/leads, and of PATCH as a JSON merge patch (absent = unchanged, null = clear).</summary>
public sealed record LeadWrite : OwnedRecordWrite
{
    public Optional<string?> FirstName { get; init; }
    public Optional<string?> LastName { get; init; }
    public Optional<string?> Company { get; init; }
    public Optional<string?> Title { get; init; }
    public Optional<string?> Email { get; init; }
    public Optional<string?> Phone { get; init; }
    /// <summary>One of <see cref="LeadStatuses.All"/>; "converted" only through POST /api/v1/leads/{id}/convert.</summary>
    public Optional<string?> Status { get; init; }
    public Optional<string?> Source { get; init; }
    public Optional<string?> Notes { get; init; }
    /// <summary>An IANA time zone such as America/Chicago (the calling-hours rule uses it before the phone number's).</summary>
    public Optional<string?> TimeZone { get; init; }
    public Optional<bool?> DoNotCall { get; init; }
    public Optional<string?> LinkedinUrl { get; init; }
}

public sealed record LeadQuery(string? Search, string? Status, Guid? OwnerId, string? Sort, int? Page, int? PageSize);

public static class LeadStatuses
{
    public static readonly IReadOnlyList<string> All = Enum.GetNames<LeadStatus>().Select(n => n.ToLowerInvariant()).ToList();

    public static string ToName(this LeadStatus status) => status.ToString().ToLowerInvariant();

    public static LeadStatus Parse(string value) => Enum.Parse<LeadStatus>(value, ignoreCase: true);
}

/// <summary>The lead list's own sorts (LeadService.Sort); every other list field sorts by its value (ListCatalogue.Sort).</summary>
public static class LeadSorts
{
    public static readonly IReadOnlyList<string> Own = ["name", "status"];
}
