namespace Switchboard.Features.Activities;

/// <summary>A task, call, email or meeting, optionally about one CRM record (see <see cref="RelatedTypes"/>).</summary>
public sealed class Activity : AuditedRow
{
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
    /// <summary>The call whose outcome scheduled this task: a callback (see <see cref="CallbackTasks"/>).</summary>
    public Guid? CallId { get; set; }
    /// <summary>When the assignee is next reminded: the due time, or later after a snooze; null when no reminder waits.</summary>
    public DateTimeOffset? RemindAt { get; set; }
    /// <summary>The <see cref="RemindAt"/> a reminder was sent for (see <see cref="TaskReminders"/>).</summary>
    public DateTimeOffset? RemindedAt { get; set; }

    /// <summary>The call whose analysis created this activity (see <see cref="Ai.AnalysisEffects"/>); undoing the analysis removes it.</summary>
    public Guid? SourceCallId { get; set; }
    /// <summary>The call whose analysis completed this activity, with the words that showed it done as <see cref="CompletionNote"/>.</summary>
    public Guid? CompletedByCallId { get; set; }
    public string? CompletionNote { get; set; }

    public bool IsCallback => CallId is not null;

    public override string AuditEntityType => "activity";
}

/// <summary>A markdown note about one CRM record. The body is stored as written; HTML is rendered on read.</summary>
public sealed class Note : AuditedRow
{
    public required string Body { get; set; }
    public required string RelatedType { get; set; }
    public Guid RelatedId { get; set; }
    public Guid? AuthorId { get; set; }

    public override string AuditEntityType => "note";
}

internal sealed class ActivityConfiguration() : TenantTableConfiguration<Activity>("activities");

internal sealed class NoteConfiguration() : TenantTableConfiguration<Note>("notes");

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
