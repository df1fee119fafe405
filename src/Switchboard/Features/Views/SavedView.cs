using System.Text.Json.Serialization;
using Switchboard.Features.Lists;

namespace Switchboard.Features.Views;

/// <summary>A named list view (filters, columns, sort, search) of one entity list: its owner's, or shared with the tenant.</summary>
public sealed class SavedView : AuditedRow
{
    public required string Entity { get; set; }
    public required string Name { get; set; }
    public Guid OwnerId { get; set; }
    public bool Shared { get; set; }
    public JsonDocument Definition { get; set; } = JsonDocument.Parse("{}");

    public override string AuditEntityType => "saved-view";
}

internal sealed class SavedViewConfiguration() : TenantTableConfiguration<SavedView>("saved_views");

/// <summary>
/// What a view restores: the list's conditions, visible columns, sort and search text. A member it does not have is an
/// error wherever it is read (a request body, or a stored definition, which then reads as empty).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ViewDefinition(IReadOnlyList<ListFilter> Filters, IReadOnlyList<string>? Columns, string? Sort, string? Search)
{
    public ListCriteria Criteria => new(Filters, Columns);
}

public sealed record ViewDto(
    Guid Id, string Entity, string Name, Guid OwnerId, bool Shared, ViewDefinition Definition, bool CanEdit,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version) : IVersionedRecord;

/// <summary>The body of POST and PATCH /api/v1/views (PATCH is a merge patch; entity is fixed once created).</summary>
public sealed record ViewWrite : RequestBody
{
    /// <summary>The list the view belongs to (lead, account, contact, opportunity); required on create, fixed after.</summary>
    public Optional<string?> Entity { get; init; }
    public Optional<string?> Name { get; init; }
    /// <summary>Visible to the whole tenant (not for read-only users).</summary>
    public Optional<bool?> Shared { get; init; }
    /// <summary>Required on create; its filters, columns and sort must be the list's.</summary>
    public Optional<ViewDefinition?> Definition { get; init; }
    /// <summary>The version the client last read: a stale one is a 409 (not allowed on create).</summary>
    public Optional<int?> Version { get; init; }
}

public sealed record ViewList(IReadOnlyList<ViewDto> Items);
