namespace Switchboard.Features.Activities;

/// <summary>An activity as the API returns it.</summary>
public sealed record ActivityDto(
    Guid Id, string Type, string Subject, string? Body, DateTimeOffset? DueAt, string Priority, string Status, Guid? AssigneeId,
    string? RelatedType, Guid? RelatedId, DateTimeOffset? CompletedAt, Guid? CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    int Version, Guid? CallId = null, DateTimeOffset? RemindAt = null, Guid? SourceCallId = null, Guid? CompletedByCallId = null,
    string? CompletionNote = null) : IVersionedRecord
{
    /// <summary>A callback: the task the outcome of call <see cref="CallId"/> scheduled.</summary>
    public bool IsCallback => CallId is not null;

    /// <summary>Created by the AI from the transcript of call <see cref="SourceCallId"/>.</summary>
    public bool IsAutoCreated => SourceCallId is not null;

    public static ActivityDto Of(Activity a) => new(
        a.Id, a.Type, a.Subject, a.Body, a.DueAt, a.Priority, a.Status, a.AssigneeId, a.RelatedType, a.RelatedId, a.CompletedAt, a.CreatedBy,
        a.CreatedAt, a.UpdatedAt, a.Version, a.CallId, a.RemindAt, a.SourceCallId, a.CompletedByCallId, a.CompletionNote);
}

/// <summary>The body of POST and PATCH /api/v1/activities (PATCH is a JSON merge patch of it).</summary>
public sealed record ActivityWrite : RequestBody
{
    /// <summary>One of <see cref="ActivityTypes.All"/>.</summary>
    public Optional<string?> Type { get; init; }
    public Optional<string?> Subject { get; init; }
    public Optional<string?> Body { get; init; }
    /// <summary>
    /// An ISO 8601 date and time such as 2026-03-01T15:00:00Z. Read as text by the service, which takes an instant
    /// without an offset as UTC (the kit's DateTimeOffset reader would read it in the server's zone).
    /// </summary>
    public Optional<string?> DueAt { get; init; }
    /// <summary>One of <see cref="ActivityPriorities.All"/>.</summary>
    public Optional<string?> Priority { get; init; }
    /// <summary>One of <see cref="ActivityStatuses.All"/>; completed stamps completedAt, any other status clears it.</summary>
    public Optional<string?> Status { get; init; }
    public Optional<Guid?> AssigneeId { get; init; }
    /// <summary>One of <see cref="RelatedTypes.All"/>, with relatedId.</summary>
    public Optional<string?> RelatedType { get; init; }
    public Optional<Guid?> RelatedId { get; init; }
    /// <summary>The version the client last read: a stale one is a 409 (not allowed on create).</summary>
    public Optional<int?> Version { get; init; }
}

/// <summary>GET /api/v1/activities: filters, a due bucket (in the tenant's time zone), sort and paging.</summary>
public sealed record ActivityQuery(
    Guid? AssigneeId, string? Status, string? Type, string? RelatedType, Guid? RelatedId, string? Due, string? Sort, int? Page, int? PageSize);

public static class ActivitySorts
{
    public static readonly IReadOnlyList<string> All = ["dueAt", "createdAt", "updatedAt", "priority", "subject"];
}

/// <summary>Pending activities by due date, in the tenant's time zone: before today, today, or later (or no due date).</summary>
public static class DueBuckets
{
    public const string Overdue = "overdue";
    public const string Today = "today";
    public const string Upcoming = "upcoming";
    public static readonly IReadOnlyList<string> All = [Overdue, Today, Upcoming];
}

/// <summary>A note as the API returns it: the Markdown as written, and its sanitized HTML.</summary>
public sealed record NoteDto(
    Guid Id, string Body, string Html, string RelatedType, Guid RelatedId, Guid? AuthorId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    int Version) : IVersionedRecord;

/// <summary>The body of POST and PATCH /api/v1/notes (PATCH is a JSON merge patch of it; a note cannot move to another record).</summary>
public sealed record NoteWrite : RequestBody
{
    /// <summary>Markdown, rendered to sanitized HTML on every read.</summary>
    public Optional<string?> Body { get; init; }
    /// <summary>One of <see cref="RelatedTypes.All"/>, with relatedId.</summary>
    public Optional<string?> RelatedType { get; init; }
    public Optional<Guid?> RelatedId { get; init; }
    /// <summary>The version the client last read: a stale one is a 409 (not allowed on create).</summary>
    public Optional<int?> Version { get; init; }
}

public sealed record NoteQuery(string? RelatedType, Guid? RelatedId, int? Page, int? PageSize);

/// <summary>GET /api/v1/timeline: one record's history.</summary>
public sealed record TimelineQuery(string? RelatedType, Guid? RelatedId, int? Page, int? PageSize);

/// <summary>
/// One entry of a record's timeline, newest first: an activity, a note, a call, or a significant change
/// (status, stage, owner) from the audit log. <see cref="Html"/> is set for notes (sanitized Markdown).
/// </summary>
public sealed record TimelineItem(
    string Kind, Guid? Id, DateTimeOffset OccurredAt, string Title, string? Detail, string? Html, Guid? ActorId, string? ActorName,
    string? Status, IReadOnlyList<TimelineChange>? Changes);

/// <summary>A changed field of a "change" timeline entry, old and new values as text.</summary>
public sealed record TimelineChange(string Field, string? Old, string? New);
