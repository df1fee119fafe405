
namespace Switchboard.Features.Leads;

public sealed record LeadDto(
    Guid Id, string FirstName, string LastName, string? Company, string? Title, string? Email, string? Phone,
    string Status, string? Source, Guid? OwnerId, string? Notes, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version,
    string? TimeZone = null, bool DoNotCall = false, DateTimeOffset? LastCalledAt = null, DateTimeOffset? CallbackAt = null,
    JsonElement? Custom = null, DateTimeOffset? ConvertedAt = null, Guid? ConvertedAccountId = null, Guid? ConvertedContactId = null,
    Guid? ConvertedOpportunityId = null, string? ExternalId = null, string? LinkedinUrl = null) : IVersionedDto;

/// <summary>The body of POST and PATCH /api/v1/leads (documented shape; PATCH is a JSON merge patch of it).</summary>
public sealed record LeadWrite(
    string? FirstName, string? LastName, string? Company, string? Title, string? Email, string? Phone,
    string? Status, string? Source, Guid? OwnerId, string? Notes, int? Version, string? TimeZone = null, bool? DoNotCall = null,
    IReadOnlyDictionary<string, JsonElement>? Custom = null, string? LinkedinUrl = null);

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
