using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Switchboard.Features.Activities;

/// <summary>A task, call, email or meeting, optionally about one CRM record (see <see cref="RelatedTypes"/>).</summary>
public sealed class Activity : ITenantOwned, IAudited, IVersioned
{
    public Guid TenantId { get; set; }
    public Guid Id { get; set; }
    public required string Type { get; set; }
    public required string Subject { get; set; }
    public string? Body { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public string Priority { get; set; } = ActivityPriorities.Medium;
    public string Status { get; set; } = ActivityStatuses.Pending;
    public Guid? AssigneeId { get; set; }
    public string? RelatedType { get; set; }
    public Guid? RelatedId { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; } = 1;

    public string AuditEntityType => "activity";
    public string AuditEntityId => Id.ToString();
}

/// <summary>A markdown note about one CRM record. The body is stored as written; HTML is rendered on read.</summary>
public sealed class Note : ITenantOwned, IAudited, IVersioned
{
    public Guid TenantId { get; set; }
    public Guid Id { get; set; }
    public required string Body { get; set; }
    public required string RelatedType { get; set; }
    public Guid RelatedId { get; set; }
    public Guid? AuthorId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Version { get; set; } = 1;

    public string AuditEntityType => "note";
    public string AuditEntityId => Id.ToString();
}

internal sealed class ActivityConfiguration : IEntityTypeConfiguration<Activity>
{
    public void Configure(EntityTypeBuilder<Activity> e)
    {
        e.ToTable("activities");
        e.HasKey(a => new { a.TenantId, a.Id });
    }
}

internal sealed class NoteConfiguration : IEntityTypeConfiguration<Note>
{
    public void Configure(EntityTypeBuilder<Note> e)
    {
        e.ToTable("notes");
        e.HasKey(n => new { n.TenantId, n.Id });
    }
}

public static class ActivityTypes
{
    public const string Task = "task";
    public static readonly IReadOnlyList<string> All = [Task, "call", "email", "meeting"];
}

public static class ActivityPriorities
{
    public const string High = "high";
    public const string Medium = "medium";
    public const string Low = "low";
    public static readonly IReadOnlyList<string> All = [High, Medium, Low];
}

public static class ActivityStatuses
{
    public const string Pending = "pending";
    public const string Completed = "completed";
    public const string Canceled = "canceled";
    public static readonly IReadOnlyList<string> All = [Pending, Completed, Canceled];
}
